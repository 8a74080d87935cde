"""Proofing: students' online checks tracked per class, and the 校对反馈表 and 勘误表 forms."""
