"""Helpers that know nothing of the landscape: atomic writes (``atomic``), work in a bounded
child process (``bounded``), progress bars (``progress``), "did you mean" hints (``suggest``),
safe YAML with positions (``yamlsafe``) and text XML can carry (``xmltext``).

Layer 0: imports only ``kg.errors`` and the standard library.
"""

__all__: list[str] = []
