"""The export tab: pre-flight list, disc package, workbooks and proof sheets."""
