"""Where search/ leans on a library's internals, one small module per seam.

Each module says what it relies on; tests/search/test_seams.py pins that behaviour with a
contract test that fails, saying what changed, when an upgrade changes it.
"""
