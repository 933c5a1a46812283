"""Fixes: rewrites that resolve findings (``builders``) and applying them to files
(``apply``): ``--fix --unsafe-fixes`` writes them, ``--diff`` shows them, and the language
server offers them as code actions."""
