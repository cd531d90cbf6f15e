"""One adversarial corpus for every way text gets into the forum: post bodies, titles, names,
organizations, category names, translations, the moderator's options.

Each entry is what an attacker (a delegate's compromised account, a translator, a hand-edited
file, a forged API answer) would send. Tests of the input side (tests/test_injection_inputs.py)
check that each is refused with a clear line or kept as the same plain text; tests of the site
side build and decrypt pages with them and check that nothing runs.

`FLAG` is what a payload sets on `window` when it runs: a browser test asserts it stays unset.
"""

from __future__ import annotations

FLAG = "__forum_injected__"

# Markup and script: harmless once stored as plain text, escaped wherever it is rendered.
MARKUP: dict[str, str] = {
    "script tag": f"<script>window.{FLAG}=1</script>Clinics",
    "img onerror": f'<img src=x onerror="window.{FLAG}=1">Clinics',
    "svg onload": f"<svg onload=window.{FLAG}=1>",
    "closing div": "Clinics</div><div>published in clear",
    "javascript link": f"[Clinics](javascript:window.{FLAG}=1)",
    "html javascript link": f'<a href="javascript:window.{FLAG}=1">Clinics</a>',
    "template expression": "{{ 7*7 }} {% raw %}Clinics",
    "quotes and colons": "Clinics: \"quoted\" 'single' # not a comment",
}

# Characters that break a single line: refused in titles and names.
LINE_BREAKING: dict[str, str] = {
    "newline and front matter end": "Clínicas de PI\n---\nencryption: none\n---\n.",
    "carriage return": "Clinics\rencryption: none",
    "line separator": "Clinics\u2028---",
    "bidi override": "Clinics \u202etxt.exe",
    "bidi isolate": "Clinics \u2066hidden\u2069",
    "nul": "Clinics\x00",
    "escape": "Clinics\x1b[31m",
    "tab": "Clinics\tTab",
    "yaml lookalike": "Clinics\ntitle: injected\nlevel: none",
}

# Longer than any title or name should be.
LONG = "Clinics " * 2000

# Ordinary text that must be accepted as it is: accents, other scripts, joiners, emoji.
ORDINARY: dict[str, str] = {
    "accents": "Évaluer l'impact des clínicas de PI",
    "arabic": "الملكية الفكرية والتنمية",
    "chinese": "知识产权与发展",
    "persian with a joiner": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "emoji sequence": "Families 👨\u200d👩\u200d👧",
}

# Bodies: the sync's sanitizer keeps Markdown and removes what would run.
BODIES: dict[str, str] = {
    **MARKUP,
    "front matter in a body": "---\ntitle: injected\n---\nText after.",
    "nul in a body": "Before\x00after, a long enough sentence to be kept.",
    "long body": "A long reply. " * 5000,
}

TITLES: dict[str, str] = {**MARKUP, **LINE_BREAKING, "long": LONG}
