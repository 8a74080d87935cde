import logging

from app.logging_setup import IdMaskingFilter, mask_id_numbers


def test_id_numbers_never_reach_a_log_record(caplog):
    logger = logging.getLogger("app.test")
    caplog.handler.addFilter(IdMaskingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("导入 %s 失败", "41010519900101123X")
        logger.info("旧号 410105900101123")
    text = caplog.text
    assert "19900101" not in text and "900101123" not in text
    assert "410105********" in text


def test_mask_keeps_other_numbers():
    assert mask_id_numbers("学号 2024000123，共 20000 人") == "学号 2024000123，共 20000 人"


def test_mask_covers_a_lower_case_check_character():
    assert mask_id_numbers("身份证 41010519900101123x 有误") == "身份证 410105***********x 有误"


def test_an_id_number_broken_up_by_spaces_or_dashes_is_masked_as_one():
    assert mask_id_numbers("无法读取 410105 19900101 123X.jpg") == "无法读取 410105***********X.jpg"
    assert mask_id_numbers("文件 4101-0519-9001-0112-3x.png 损坏") == "文件 410105***********x.png 损坏"
    assert mask_id_numbers("扫描_410105_19900101_1234") == "扫描_410105***********4"
    assert mask_id_numbers("４１０１０５　１９９００１０１　１２３Ｘ") == "４１０１０５***********Ｘ"


def test_dates_times_and_short_numbers_with_spaces_are_left_alone():
    line = "--- 2026-12-01 07:06:57 拍摄序号 12 13 14，学号 2024 000 123"
    assert mask_id_numbers(line) == line


def test_the_error_log_masks_a_spaced_id_number(tmp_path, monkeypatch):
    import app.paths
    from app.logging_setup import write_error_log

    monkeypatch.setattr(app.paths, "data_dir", lambda: tmp_path)
    trace = "Traceback (most recent call last):\nOSError: [Errno 5] '/u/录取/410105 19900101 123X.jpg'"
    path = write_error_log(trace)
    text = (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
    assert path == str(tmp_path / "logs" / "errors.log")
    assert "19900101" not in text and "/u/录取/410105***********X.jpg" in text


def test_an_id_number_broken_by_a_no_break_space_or_a_full_width_dash_is_masked():
    assert mask_id_numbers("440305\u00a019870824\u00a0637X.jpg") == "440305***********X.jpg"
    assert mask_id_numbers("440305－19870824＿637X") == "440305***********X"
