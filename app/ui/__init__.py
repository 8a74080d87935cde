"""The Qt interface: the shell (start-up, main window, background runner, events, undo, i18n) and one package per tab."""
