"""Identity pre-check: does the new photo look like the student's enrolment photo? (advice, never a block)"""
