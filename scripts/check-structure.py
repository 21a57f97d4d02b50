#!/usr/bin/env python3
"""The structure ARCHITECTURE.md promises, checked on the source: no import circle between the
modules of any crate, and no function in `domain` longer than its limit. Text-based: a module
is a file, an import is a `crate::…`, `super::…` or `self::…` path naming another file's module."""
import os
import re
import sys

CRATES = ["domain", "store", "commands", "workflows", "projections", "demo", "app", "server", "tlog", "audit", "api", "web"]
DOMAIN_FUNCTION_LIMIT = 150


def modules_of(crate):
    """Module path (tuple) → file, for every file under src/."""
    modules = {}
    root = os.path.join(crate, "src")
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, root)[:-3].split(os.sep)
            if parts[-1] in ("lib", "main", "mod"):
                parts = parts[:-1]
            modules[tuple(parts)] = path
    return modules


def code_of(path):
    """The file's text without comments and string literals, and without its test module."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text, flags=re.S)
    cut = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
    return text[: cut.start()] if cut else text


def resolve(module, path_text, modules):
    """The module a path names: the longest prefix of it that is a module of the crate."""
    segments = path_text.split("::")
    if segments[0] == "crate":
        base, rest = (), segments[1:]
    else:
        base = module
        while segments and segments[0] in ("self", "super"):
            if segments.pop(0) == "super":
                base = base[:-1]
        rest = segments
    target = base
    for segment in rest:
        if base + (segment,) in modules or tuple(list(target) + [segment]) in modules:
            target = target + (segment,)
        else:
            break
    return target


def imports(modules):
    graph = {m: set() for m in modules}
    for module, path in modules.items():
        code = code_of(path)
        named = [m.group(1) for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", code)]
        # `use crate::a::{b, c::d}` names `a::b` and `a::c::d`, not only `a`
        for group in re.finditer(r"\b((?:crate|super|self)(?:::\w+)*)::\{([^{}]*)\}", code):
            for item in group.group(2).split(","):
                item = item.strip().split(" as ")[0].strip()
                if item and item != "self":
                    named.append(group.group(1) + "::" + item)
        for path_text in named:
            target = resolve(module, path_text, modules)
            if target not in modules:
                continue
            # A module may name its own ancestors (the modules that declare it) and its own
            # children; a circle is between modules neither of which contains the other.
            if target == module or target == module[: len(target)] or module == target[: len(module)]:
                continue
            graph[module].add(target)
    return graph


def circles(graph):
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def long_functions(crate, limit):
    too_long = []
    for module, path in modules_of(crate).items():
        lines = open(path, encoding="utf-8").read().split("\n")
        for start, line in enumerate(lines):
            match = re.match(r"\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?fn\s+(\w+)", line)
            if not match:
                continue
            depth, opened, end = 0, False, start
            for end in range(start, len(lines)):
                text = re.sub(r'"(\\.|[^"\\])*"', '""', lines[end]).split("//")[0]
                text = re.sub(r"'(\\.|[^'\\])'", "''", text)
                depth += text.count("{") - text.count("}")
                opened = opened or "{" in text
                if (opened and depth <= 0) or (not opened and text.rstrip().endswith(";")):
                    break
            if end - start + 1 > limit:
                too_long.append(f"{path}:{start + 1} fn {match.group(5)}: {end - start + 1} lines")
    return too_long


def main():
    failures = []
    for crate in CRATES:
        for circle in circles(imports(modules_of(crate))):
            names = " → ".join("::".join(m) or "(crate root)" for m in circle)
            failures.append(f"import circle in {crate}: {names}")
    for line in long_functions("domain", DOMAIN_FUNCTION_LIMIT):
        failures.append(f"function longer than {DOMAIN_FUNCTION_LIMIT} lines in domain: {line}")
    for failure in failures:
        print(f"structure: {failure}", file=sys.stderr)
    if failures:
        sys.exit(1)
    print("check-structure: ok")


if __name__ == "__main__":
    main()
