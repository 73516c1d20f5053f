"""The Qt window: ``main_window`` assembles the parts, one subpackage each, over ``common``."""
