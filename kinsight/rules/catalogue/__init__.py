"""One module per rule of rules.md; importing this package registers them all.

Modules are found, not listed, so that adding a rule touches one file (and its test).
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
