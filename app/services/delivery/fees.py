"""Fee tally per station: students × the station's fee, by class, with the payee's details.

The fee is a station setting (seed 004's notice: 20 元 per student for the information card; the
2002 national rule cited by schools: 15 元). Withdrawn students are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from app.services.common.classes import group_by_class
from app.services.common.xlsx_out import (
    BODY_FONT,
    BORDER,
    CENTRE,
    HEADER_FONT,
    LEFT,
    TITLE_FONT,
    a4_landscape,
    fit_columns,
    save_workbook,
)
from app.services.delivery.source import Delivery

TITLE = "高等教育学历证书电子注册图像信息卡制作费用汇总"
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_GROUPS = ["", "万", "亿", "万亿"]


def rmb_upper(amount: Decimal) -> str:
    """Amount in 人民币大写, as on a remittance form: 12340.50 → 壹万贰仟叁佰肆拾元伍角整."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount < 0:
        return "负" + rmb_upper(-amount)
    yuan = int(amount)
    jiao, fen = int(amount * 10) % 10, int(amount * 100) % 10
    text = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        parts = []
        zero_pending = False
        for gi in range(len(groups) - 1, -1, -1):
            g = groups[gi]
            if g == 0:
                zero_pending = bool(parts)
                continue
            chunk = ""
            digits = [(g // 10**k) % 10 for k in range(3, -1, -1)]
            started = False
            for pos, d in enumerate(digits):
                unit = _UNITS[3 - pos]
                if d:
                    if (zero_pending or (started and digits[pos - 1] == 0)) and (parts or chunk):
                        chunk += "零"
                    chunk += _DIGITS[d] + unit
                    started = True
                    zero_pending = False
                elif started:
                    zero_pending = False
            if parts and g < 1000 and not chunk.startswith("零"):
                chunk = "零" + chunk
            parts.append(chunk + _GROUPS[gi])
        text = "".join(parts) + "元"
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return text


@dataclass(frozen=True)
class FeeTally:
    station: str
    school: str
    fee: Decimal
    classes: tuple[tuple[str, int], ...]  # (班级, 人数), in class order (common.classes)
    payee: tuple[tuple[str, str], ...]  # (label, value)

    @property
    def count(self) -> int:
        return sum(n for _, n in self.classes)

    @property
    def total(self) -> Decimal:
        return (self.fee * self.count).quantize(Decimal("0.01"))


def tally(delivery: Delivery) -> FeeTally:
    st = delivery.station
    classes = tuple((name, len(students)) for name, students in group_by_class(delivery.students).items())
    payee = (
        ("收款单位", st.payee_name),
        ("地址", st.payee_address),
        ("邮编", st.payee_postcode),
        ("联系人", st.payee_contact),
        ("联系电话", st.payee_phone),
    )
    return FeeTally(
        st.name,
        f"{st.school_name}（{st.school_code}）" if st.school_code else st.school_name,
        Decimal(st.fee_per_student).quantize(Decimal("0.01")),
        classes,
        payee,
    )


def money(v: Decimal) -> str:
    return f"{v:,.2f}"


def table_rows(t: FeeTally) -> tuple[list[str], list[list[str]]]:
    """Headers and rows (classes then the total) for the printable form and the workbook."""
    headers = ["序号", "班级", "人数", "每生费用（元）", "金额（元）"]
    rows = [
        [str(i), name, str(n), money(t.fee), money(t.fee * n)] for i, (name, n) in enumerate(t.classes, 1)
    ]
    rows.append(["", "合计", str(t.count), money(t.fee), money(t.total)])
    return headers, rows


def footer_lines(t: FeeTally) -> list[str]:
    lines = [f"合计金额（大写）：人民币{rmb_upper(t.total)}"]
    lines += [f"{label}：{value}" for label, value in t.payee if value]
    lines.append("汇款方式：邮政汇款（汇款前请先与收款单位联系确认收费标准）")
    lines.append("学习中心（盖章）　　经办人：__________　　日期：______年____月____日")
    return lines


def save_fees(delivery: Delivery, path: Path | str) -> FeeTally:
    """The tally as .xlsx: title, station line, the class table with a total row, payee details."""
    t = tally(delivery)
    wb = Workbook()
    ws = wb.active
    ws.title = "费用汇总"
    ws["A1"] = TITLE
    ws["A1"].font, ws["A1"].alignment = TITLE_FONT, CENTRE
    ws.merge_cells("A1:E1")
    ws["A2"] = f"校外学习中心（函授站）名称: {t.station}　所在院校: {t.school}"
    ws["A2"].font = BODY_FONT
    ws.merge_cells("A2:E2")
    headers, rows = table_rows(t)
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(3, c, h)
        cell.font, cell.alignment, cell.border = HEADER_FONT, CENTRE, BORDER
    for r, row in enumerate(rows, start=4):
        is_total = r == 3 + len(rows)
        n = t.count if is_total else t.classes[r - 4][1]
        values = [
            None if is_total else r - 3,
            row[1],
            n,
            float(t.fee),
            float(t.total if is_total else t.fee * n),
        ]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c, v)
            cell.border, cell.font = BORDER, HEADER_FONT if is_total else BODY_FONT
            if c >= 4:
                cell.number_format = "#,##0.00"
    r = 4 + len(rows) + 1
    for line in footer_lines(t):
        ws.cell(r, 1, line).alignment = LEFT
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        r += 1
    fit_columns(ws, [8, 36, 10, 16, 16], 3, 3 + len(rows))
    ws.freeze_panes = "A4"
    a4_landscape(ws, "1:3")
    save_workbook(wb, path, delivery.data_stamp)
    return t
