"""What makes the window a desktop citizen: menus, shortcuts, the command palette, zoom, the tray."""
