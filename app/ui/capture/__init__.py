"""The cropping tab for capture day: crop view with the framing guide, QC panel, photo-folder import."""
