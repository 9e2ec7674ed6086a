#!/usr/bin/env python3
# Checks the user guide in help/: every page is valid Mallard, its links and figures resolve,
# every translation (help/LANG/LANG.po, languages from help/LINGUAS) is complete — no
# untranslated, fuzzy or out-of-date message — and the translated pages are valid too, and a
# UI label (<gui>) in a translation is the label the translated app shows (po/LANG.po).
#
# Usage: check-help.py SOURCE_ROOT            check the guide
#        check-help.py --self-test SOURCE_ROOT  check that each kind of fault is caught
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

GUI_RE = re.compile(r'<gui(?:\s[^>]*)?>(.*?)</gui>', re.S)
MAL = '{http://projectmallard.org/1.0/}'
MEDIA_RE = re.compile(r'<media\b[^>]*\bsrc="([^"]+)"')


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def unquote(s):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            n = s[i + 1]
            out.append({'n': '\n', 't': '\t', '"': '"', '\\': '\\'}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def parse_po(path):
    """Entries of a PO file: dicts with ctxt, id, str (first form), flags, obsolete."""
    entries = []
    cur = None
    field = None
    flags = set()

    def finish():
        nonlocal cur
        if cur is not None and 'id' in cur:
            entries.append(cur)
        cur = None

    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            obsolete = line.startswith('#~')
            if obsolete:
                line = line[2:].lstrip()
            if line.startswith('#,'):
                finish()
                flags = {x.strip() for x in line[2:].split(',')}
                continue
            if line.startswith('#') or not line.strip():
                if not line.strip():
                    finish()
                    flags = set()
                continue
            m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if m:
                key, val = m.group(1), unquote(m.group(2))
                if key in ('msgctxt', 'msgid') and cur is not None and 'str' in cur:
                    finish()
                if cur is None:
                    cur = {'ctxt': None, 'flags': flags, 'obsolete': obsolete}
                    flags = set()
                field = {'msgctxt': 'ctxt', 'msgid': 'id', 'msgid_plural': 'plural',
                         'msgstr': 'str', 'msgstr[0]': 'str'}.get(key)
                if field is None:  # other plural forms
                    field = '_'
                cur[field] = val
            elif line.startswith('"') and cur is not None and field is not None:
                cur[field] = cur.get(field, '') + unquote(line[1:-1])
    finish()
    return entries


def linguas(helpdir):
    with open(os.path.join(helpdir, 'LINGUAS'), encoding='utf-8') as f:
        return [w for line in f for w in line.split('#')[0].split()]


def ui_labels(po_path):
    """English UI string (mnemonic removed) → the set of its translations (mnemonic removed)."""
    labels = {}
    for e in parse_po(po_path):
        if e['obsolete'] or not e['id'] or not e.get('str') or 'fuzzy' in e['flags']:
            continue
        labels.setdefault(e['id'].replace('_', ''), set()).add(e['str'].replace('_', ''))
    return labels


def markup(s):
    """The elements of a message, with the targets of links and figures, which a translation
    keeps (only their order may change)."""
    out = []
    for slash, name, attrs in re.findall(r'<(/?)([a-z]+)([^>]*)>', s):
        keep = ''
        if name in ('link', 'media'):
            keep = ' '.join(sorted(re.findall(r'(?:xref|href|src)="[^"]*"', attrs)))
        out.append(f'{slash}{name} {keep}')
    return sorted(out)


FIGURE_PREFIX = "external ref="


def figure_key(key):
    """The key of a message, without the checksum itstool gives a figure's message."""
    ctxt, msgid = key
    if msgid.startswith(FIGURE_PREFIX):
        msgid = re.sub(r" md5='[^']*'", '', msgid)
    return ctxt, msgid


def norm(s):
    return ' '.join(s.split())


class Checker:
    def __init__(self, root, langs=None):
        self.root = root
        self.langs = langs
        self.helpdir = os.path.join(root, 'help')
        self.cdir = os.path.join(self.helpdir, 'C')
        self.problems = []

    def fail(self, text):
        self.problems.append(text)

    def pages(self):
        return sorted(p for p in os.listdir(self.cdir) if p.endswith('.page'))

    def check_pages(self, directory, what):
        pages = [os.path.join(directory, p) for p in self.pages()]
        r = run(['yelp-check', 'validate'] + pages)
        if r.returncode != 0:
            self.fail(f'{what}: not valid Mallard:\n{r.stdout}{r.stderr}')

    def check_structure(self):
        """What yelp-check's links, ids and orphans check, without a process per check: page
        ids are their file names, every xref leads to a page (or a section of one), and every
        page but the index is linked from a guide."""
        ids = {}
        linked = set()
        for page in self.pages():
            try:
                tree = ET.parse(os.path.join(self.cdir, page))
            except ET.ParseError as e:
                self.fail(f'help/C/{page}: {e}')
                continue
            root = tree.getroot()
            if root.get('id') != page[:-len('.page')]:
                self.fail(f'help/C/{page}: its id is “{root.get("id")}”')
            ids[page[:-len('.page')]] = {el.get('id') for el in root.iter() if el.get('id')}
        for page in self.pages():
            try:
                root = ET.parse(os.path.join(self.cdir, page)).getroot()
            except ET.ParseError:
                continue
            for link in root.iter(MAL + 'link'):
                xref = link.get('xref')
                if xref is None:
                    continue
                target, _, section = xref.partition('#')
                if target not in ids or (section and section not in ids[target]):
                    self.fail(f'help/C/{page}: the link to “{xref}” leads nowhere')
                elif link.get('type') == 'guide':
                    linked.add(page[:-len('.page')])
        for page in ids:
            if page != 'index' and page not in linked:
                self.fail(f'help/C/{page}.page: no guide links to it (an orphan)')

    def check_figures(self, directory, what, lang=None):
        """Every <media src> of the pages in @directory exists (for a language: its own figure
        or the English one, which the build installs in its place)."""
        for page in self.pages():
            with open(os.path.join(directory, page), encoding='utf-8') as f:
                text = f.read()
            for src in MEDIA_RE.findall(text):
                candidates = [os.path.join(self.cdir, src)]
                if lang is not None:
                    candidates.insert(0, os.path.join(self.helpdir, lang, src))
                if not any(os.path.isfile(c) for c in candidates):
                    self.fail(f'{what}: {page} shows {src}, which does not exist')

    def check_meson_media(self):
        """The figures help/meson.build installs are the figures the pages show."""
        with open(os.path.join(self.helpdir, 'meson.build'), encoding='utf-8') as f:
            listed = set(re.findall(r"'(figures/[^']+)'", f.read()))
        shown = set()
        for page in self.pages():
            with open(os.path.join(self.cdir, page), encoding='utf-8') as f:
                shown |= set(MEDIA_RE.findall(f.read()))
        for src in sorted(shown - listed):
            self.fail(f'help/meson.build does not install {src}')
        for src in sorted(listed - shown):
            self.fail(f'help/meson.build installs {src}, which no page shows')

    def check_labels(self):
        """Every UI label (<gui>) of the English pages is a string the app shows: a label the
        app renamed is found here."""
        app_po = os.path.join(self.root, 'po', linguas(os.path.join(self.root, 'po'))[0] + '.po')
        strings = {e['id'].replace('_', '') for e in parse_po(app_po)
                   if e['id'] and not e['obsolete']}
        for page in self.pages():
            with open(os.path.join(self.cdir, page), encoding='utf-8') as f:
                for label in GUI_RE.findall(f.read()):
                    if norm(label) not in strings:
                        self.fail(f'help/C/{page}: <gui>{norm(label)}</gui> is not a string of '
                                  f'the app (po/); did the app rename it?')

    def check_translation(self, lang, pot_ids, tmp):
        what = f'help/{lang}/{lang}.po'
        po = os.path.join(self.helpdir, lang, lang + '.po')
        if not os.path.isfile(po):
            self.fail(f'{what} is missing')
            return
        r = run(['msgfmt', '--check', '--statistics', '-o', os.path.join(tmp, lang + '.mo'), po],
                env=dict(os.environ, LC_ALL='C'))
        if r.returncode != 0:
            self.fail(f'{what}: msgfmt --check failed:\n{r.stderr}')
            return
        entries = [e for e in parse_po(po) if not e['obsolete'] and e['id']]
        by_id = {figure_key((e['ctxt'], e['id'])): e for e in entries}
        for key in pot_ids:
            e = by_id.get(key)
            if key[1].startswith(FIGURE_PREFIX):
                # A figure's message names the English PNG and its checksum. Left untranslated
                # (or fuzzy after new screenshots) the page keeps the same file name, which the
                # build fills with the language's own figure (help/LANG/figures) if it has one,
                # so new screenshots need no change of the translations.
                continue
            if e is None:
                self.fail(f'{what}: no translation of “{key[1][:70]}” (run the update-po target)')
            elif 'fuzzy' in e['flags']:
                self.fail(f'{what}: fuzzy: “{key[1][:70]}”')
            elif not e.get('str'):
                self.fail(f'{what}: untranslated: “{key[1][:70]}”')
        for key in by_id:
            if key not in pot_ids:
                self.fail(f'{what}: “{key[1][:70]}” is no longer in the guide')

        # Markup and UI labels.
        app_po = os.path.join(self.root, 'po', lang + '.po')
        labels = ui_labels(app_po) if os.path.isfile(app_po) else {}
        for e in entries:
            src, dst = e['id'], e.get('str', '')
            if not dst or 'fuzzy' in e['flags']:
                continue
            if markup(src) != markup(dst):
                self.fail(f'{what}: the markup differs from the English in “{src[:70]}”')
            wanted = [norm(g) for g in GUI_RE.findall(src)]
            got = [norm(g) for g in GUI_RE.findall(dst)]
            for label in wanted:
                translations = labels.get(label)
                if not translations:
                    continue  # not a string of the app (or not translated there yet)
                if not any(norm(t) in got for t in translations):
                    self.fail(f'{what}: <gui>{label}</gui> should read '
                              f'“{" / ".join(sorted(translations))}” as in po/{lang}.po, '
                              f'in “{dst[:90]}”')

        # The translated pages, as the build makes them.
        out = os.path.join(tmp, lang)
        os.makedirs(out)
        r = run(['itstool', '-m', os.path.join(tmp, lang + '.mo'), '--lang', lang, '-o', out]
                + [os.path.join(self.cdir, p) for p in self.pages()])
        if r.returncode != 0:
            self.fail(f'{what}: itstool could not merge it:\n{r.stderr}')
            return
        self.check_pages(out, f'help/{lang} pages')
        self.check_figures(out, f'help/{lang} pages', lang)

    def run(self):
        if not os.path.isdir(self.cdir) or not self.pages():
            self.fail('help/C has no pages')
            return self.problems
        self.check_pages(self.cdir, 'help/C')
        self.check_structure()
        self.check_labels()
        self.check_figures(self.cdir, 'help/C')
        self.check_meson_media()
        langs = linguas(self.helpdir) if self.langs is None else self.langs
        if not langs and self.langs is None:
            self.fail('help/LINGUAS names no language')
        with tempfile.TemporaryDirectory() as tmp:
            pot = os.path.join(tmp, 'help.pot')
            r = run(['itstool', '-o', pot] + [os.path.join(self.cdir, p) for p in self.pages()])
            if r.returncode != 0:
                self.fail(f'itstool could not extract the messages:\n{r.stderr}')
                return self.problems
            pot_ids = {figure_key((e['ctxt'], e['id'])) for e in parse_po(pot) if e['id']}
            with ThreadPoolExecutor(len(langs) or 1) as pool:
                for f in [pool.submit(self.check_translation, lang, pot_ids, tmp)
                          for lang in langs]:
                    f.result()
        return self.problems


def self_test(root):
    """Each fault, made in a copy of the guide, must be reported."""
    lang = linguas(os.path.join(root, 'help'))[0]
    po = f'help/{lang}/{lang}.po'
    coupled = r'(msgid "<gui>Coupled</gui>"\nmsgstr )"<gui>(.*?)</gui>"'
    # name: (file, pattern, replacement, languages to check)
    faults = {
        'invalid page': ('help/C/index.page', r'</title>', '</title><bogus/>', []),
        'broken link': ('help/C/index.page', r'<title>Getting started</title>',
                        '<title>Getting started</title><p><link xref="no-such-page"/></p>', []),
        'orphan page': ('help/C/csv.page', r'<link type="guide" xref="index#more"/>', '', []),
        'renamed label': ('help/C/coupling.page', r'<gui>Coupled</gui>',
                          '<gui>Coupled Up</gui>', []),
        'missing figure': ('help/C/index.page', r'figures/customers\.png', 'figures/none.png',
                           []),
        'page not translated': ('help/C/index.page', r'<title>More</title>',
                                '<title>More</title><p>A new paragraph.</p>', [lang]),
        'fuzzy message': (po, r'\nmsgid "Getting started"', '\n#, fuzzy\nmsgid "Getting started"',
                          [lang]),
        'untranslated message': (po, r'(msgid "Getting started"\n)msgstr ".*"',
                                 r'\1msgstr ""', [lang]),
        'markup dropped': (po, coupled, r'\1"\2"', [lang]),
        'link changed': (po, r'(msgstr .*)<link xref=\\"full-sync\\"/>',
                         r'\1<link xref=\\"jobs\\"/>', [lang]),
        'wrong UI label': (po, coupled, r'\1"<gui>XX\2</gui>"', [lang]),
        'invalid translated page': (po, coupled, r'\1"<gui>\2</gui><bogus/>"', [lang]),
    }

    def provoke(tmp, name, fault):
        rel, pattern, replacement, langs = fault
        copy = os.path.join(tmp, name.replace(' ', '-'))
        shutil.copytree(os.path.join(root, 'help'), os.path.join(copy, 'help'))
        shutil.copytree(os.path.join(root, 'po'), os.path.join(copy, 'po'))
        path = os.path.join(copy, rel)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        changed = re.sub(pattern, replacement, text, count=1)
        if changed == text:
            return f'{name}: the fault could not be made in {rel}'
        with open(path, 'w', encoding='utf-8') as f:
            f.write(changed)
        problems = Checker(copy, langs).run()
        return None if problems else f'{name}: not reported'

    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(4) as pool:
        results = [pool.submit(provoke, tmp, n, f) for n, f in faults.items()]
        return [r.result() for r in results if r.result() is not None]


def main():
    args = sys.argv[1:]
    for tool in ('yelp-check', 'itstool', 'msgfmt'):
        if shutil.which(tool) is None:
            print(f'{tool} is not installed: run tools/install-deps', file=sys.stderr)
            return 1
    if args and args[0] == '--self-test':
        problems = self_test(args[1])
        for p in problems:
            print(p)
        print(f'self-test: {len(problems)} problem(s)')
        return 1 if problems else 0
    problems = Checker(args[0]).run()
    for p in problems:
        print(p)
    print(f'{len(problems)} problem(s) in the user guide')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
