#!/usr/bin/env python3
"""Checks engine/src's includes against the module picture of
docs/architecture.md ("The modules"): each folder may include the folders
listed for it below (and the public headers, toegang/*.h). Prints every
include that goes against the picture; exits 1 when there is one.

    tools/check_layers.py [TREE]     (TREE: the repository, default .)
"""
import os
import re
import sys

# What each folder of engine/src may include, as docs/architecture.md draws
# it. Keep the two in step.
ALLOWED = {
    'base': set(),
    'model': {'base'},
    'check': {'model', 'base'},
    'graph': {'check', 'model', 'base'},
    'rules': {'graph', 'check', 'model', 'base'},
    'store': {'model', 'base'},
    'import': {'store', 'graph', 'check', 'model', 'base'},
    'engine': {'base', 'model', 'check', 'graph', 'rules', 'import', 'store'},
    'capi': set(),
}
INCLUDE = re.compile(r'\s*#\s*include\s+"([^"/]+)/[^"]+"')


def main():
    tree = sys.argv[1] if len(sys.argv) > 1 else '.'
    src = os.path.join(tree, 'engine', 'src')
    against = []
    for folder in sorted(os.listdir(src)):
        if not os.path.isdir(os.path.join(src, folder)):
            continue
        if folder not in ALLOWED:
            against.append(f'engine/src/{folder}: a folder the picture lacks')
            continue
        for dirpath, _, files in os.walk(os.path.join(src, folder)):
            for name in sorted(files):
                if not name.endswith(('.h', '.cc')):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, errors='replace') as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(1)
                        if target in ('toegang', folder):
                            continue
                        if target in ALLOWED and target not in ALLOWED[folder]:
                            rel = os.path.relpath(path, tree)
                            against.append(f'{rel}:{number}: {folder} -> '
                                           f'{target} ({line.strip()})')
    for a in against:
        print(a)
    return 1 if against else 0


if __name__ == '__main__':
    sys.exit(main())
