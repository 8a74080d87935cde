"""Set-up dialogs: stations, presets, preferences, backups and station bundles."""
