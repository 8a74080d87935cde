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
