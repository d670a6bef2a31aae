#!/usr/bin/env python3
"""Finds names in the docs that the tree no longer has: every `name` in
backticks in README.md and docs/*.md that looks like a path (has a slash,
or ends in .cc, .h, .sql, ...) or a C++ name (CamelCase, kConstant,
snake_case, a::b, f()) is looked up: a path among the tree's files, a
benchmark's name in bench/, a C++ name as a word in the sources (or in
SPEC.md, whose names the docs quote). Prints each one not found; exits 1
when there is one. Names of other things that happen to look like these
(JSON keys, CLI flags) are found in the sources too, as they should be.

    tools/check_doc_names.py [TREE [SPEC.md]]
"""
import os
import re
import sys

SOURCE_DIRS = ['engine', 'tools', 'tests', 'bench', 'schema', '.ci', 'docs']
CODE_ENDINGS = ('.cc', '.h', '.c', '.sql', '.py', '.sh', '.txt', '.conf',
                '.yaml', '.yml')
PATH = re.compile(r'^[\w.\-/<>*]+\.(cc|h|c|sql|py|sh|md|conf|yaml|svg)(:\d+)?$'
                  r'|^[\w\-]+/[\w\-/]+/?$')
QUALIFIED = r'(?:[A-Za-z_]\w*::)*'
# Tokens that look like names of the tree but are not meant to be.
NOT_NAMES = {
    'co_lokale_beheerder',      # model.md: what a user may type
    'nginx-auth-request.conf',  # reliability.md: a removed file, said so
}
CPP_NAME = re.compile(
    '^' + QUALIFIED + r'(?:[A-Z]\w*[a-z]\w*|k[A-Z]\w*|[a-z]+(?:_[a-z0-9]+)+)$')


def main():
    tree = sys.argv[1] if len(sys.argv) > 1 else '.'
    spec_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        tree, '..', 'shared', 'SPEC.md')
    spec = open(spec_path, errors='replace').read() if os.path.exists(
        spec_path) else ''
    paths, code, bench = set(), [], []
    for top in SOURCE_DIRS:
        for dirpath, dirs, files in os.walk(os.path.join(tree, top)):
            for name in dirs + files:
                paths.add(os.path.relpath(os.path.join(dirpath, name), tree))
            for name in files:
                if name.endswith(CODE_ENDINGS) or name == 'run':
                    p = os.path.join(dirpath, name)
                    text = open(p, errors='replace').read()
                    code.append(text)
                    if top == 'bench':
                        bench.append(text)
    for name in ('Makefile', 'CMakeLists.txt'):
        code.append(open(os.path.join(tree, name), errors='replace').read())
    code, bench = '\n'.join(code), '\n'.join(bench)
    basenames = {os.path.basename(p) for p in paths}

    def word_in(word, text):
        return re.search(r'\b' + re.escape(word) + r'\b', text) is not None

    def path_found(token):
        first = token.split('/')[0]
        if re.match(r'^[A-Z][A-Za-z]+$', first):  # a benchmark, e.g. Check/...
            return word_in(first, bench)
        if 'NNNN' in token or '*' in token or '<' in token:
            return True  # a pattern, not a file
        t = token.split(':')[0].rstrip('/')
        return any(c in paths for c in (t, 'engine/src/' + t,
                                        'engine/include/' + t, 'tools/' + t)) \
            or ('/' not in t and t in basenames) or t == 'SPEC.md'

    def name_found(token):
        if word_in(token, spec):
            return True
        return all(word_in(part, code) for part in token.split('::') if part)

    docs = [os.path.join(tree, 'README.md')] + sorted(
        os.path.join(tree, 'docs', d) for d in os.listdir(
            os.path.join(tree, 'docs')) if d.endswith('.md'))
    missing = []
    for doc in docs:
        with open(doc) as f:
            for number, line in enumerate(f, 1):
                for token in re.findall(r'`([^`\n]+)`', line):
                    token = token.strip()
                    if token in NOT_NAMES:
                        continue
                    call = re.match('^(' + QUALIFIED + r'[A-Za-z_]\w*)\(.*\)$',
                                    token)
                    name = call.group(1) if call else token
                    where = f'{os.path.relpath(doc, tree)}:{number}'
                    if PATH.match(token):
                        if not path_found(token):
                            missing.append(f'{where}: path `{token}`')
                    elif CPP_NAME.match(name) or (call and '::' in name):
                        if not name_found(name):
                            missing.append(f'{where}: name `{token}`')
    for m in missing:
        print(m)
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
