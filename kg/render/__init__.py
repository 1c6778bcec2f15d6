"""Results as text, Markdown, CSV or HTML, one module per kind of result; no I/O.

Layer 5: imports the analyses and queries whose results it renders.
"""

__all__: list[str] = []
