#!/usr/bin/env python3
"""The peer baseline attune is compared with: what a short Python script does to read a vault.

Walks VAULT, parses every Markdown file's frontmatter with python-frontmatter (PyYAML, with
libyaml's C loader when PyYAML has it), and extracts every wiki-link from the frontmatter values
and the body. Prints one line of `key=value` pairs: files, notes with frontmatter, YAML errors,
links, seconds (from the first file to the last, interpreter start-up excluded) and peak RSS.
"""
import os
import re
import sys
import time

import frontmatter
import yaml

LINK = re.compile(r"\[\[([^\]\|#]*)(?:#[^\]\|]*)?(?:\|[^\]]*)?\]\]")


def links_in_value(value, out):
    """Wiki-links inside a YAML value: strings, and the nested lists `[[x]]` parses into."""
    if isinstance(value, str):
        out.extend(LINK.findall(value))
    elif isinstance(value, list):
        # An unquoted [[Name]] is a list holding a list holding "Name".
        if len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1 and isinstance(value[0][0], str):
            out.append(value[0][0])
        else:
            for item in value:
                links_in_value(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            links_in_value(item, out)


def peak_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    if len(sys.argv) != 2:
        print("usage: python_baseline.py VAULT", file=sys.stderr)
        return 2
    root = sys.argv[1]
    start = time.perf_counter()
    files = with_frontmatter = errors = 0
    links = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.endswith(".md"):
                continue
            files += 1
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            try:
                post = frontmatter.loads(text)
            except yaml.YAMLError:
                errors += 1
                links.extend(LINK.findall(text))
                continue
            if post.metadata:
                with_frontmatter += 1
            for value in post.metadata.values():
                links_in_value(value, links)
            links.extend(LINK.findall(post.content))
    seconds = time.perf_counter() - start
    print(
        f"files={files} frontmatter={with_frontmatter} yaml_errors={errors} "
        f"links={len(links)} seconds={seconds:.4f} vmhwm_kib={peak_rss_kib()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
