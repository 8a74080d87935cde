"""National standards as pure functions: GB 11643 身份证号 and GB 2312 区位码."""
