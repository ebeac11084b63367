"""Development tools: the benchmark harness (`make bench`) and the dataset generator
(`generate_dataset`). Left out of the installed package (see pyproject.toml); settings
install the app only where it is importable, as in a checkout."""
