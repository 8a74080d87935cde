"""The Qt-free services, one package per domain (README § Architecture); the CLI, the GUI and tests call them."""
