"""The kaohe commands by concern; ``cli.py`` is the entry point that gathers them."""
