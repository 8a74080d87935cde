"""Printable forms rendered with Qt (QTextDocument → PDF or printer); kept outside the Qt-free services."""
