"""The small XML files a music folder holds (an XSPF playlist, an Internet Archive item's
``_files.xml`` and ``_meta.xml``), parsed so that none can stop a folder's read."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def parse_xml(data: bytes) -> ET.Element | None:
    """``data``'s root element; None where it declares entities or a DOCTYPE (no player or
    archive writes one; an "XML bomb" does), is no XML, or names an encoding expat cannot read
    ("x-mac-roman": a LookupError or ValueError, not a ParseError)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        return ET.fromstring(data)
    except (ET.ParseError, LookupError, ValueError):
        return None
