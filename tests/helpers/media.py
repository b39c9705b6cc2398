"""What is on disk under a media folder."""


def stored_files(root) -> list:
    """Every file under a media folder (uploads and renditions)."""
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
