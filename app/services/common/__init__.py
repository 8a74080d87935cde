"""Shared by every domain: atomic files, the audit trail, spreadsheet values, workbook output, class grouping, store backups."""
