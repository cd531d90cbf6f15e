"""`forum translations`: what waits per language, the translator's package, and its import."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archive import Archive
from click.testing import CliRunner

from sync.cli.main import main
from sync.model.content import load_forum, read_file, write_post


def run(archive: Archive, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["translations", *args, "--project", str(archive.root)])
    return result.exit_code, result.output


def a_forum(archive: Archive):
    topic = archive.topic("D_a", "Training examiners", "2026-W40", 1, body="How do you train examiners?")
    archive.translate(topic, "fr", "Comment formez-vous les examinateurs ?", title="Former les examinateurs")
    spanish = archive.reply(topic, "R_es", "mx-eva", "MX", 2, "Con tutores durante un año.", language="es")
    french = archive.reply(topic, "R_fr", "fr-luc", "FR", 3, "Par compagnonnage.", language="fr")
    archive.translate(french, "en", "By mentoring.", outdated=True)
    return topic, spanish, french


def test_the_list_shows_per_language_what_is_untranslated_or_outdated(archive: Archive) -> None:
    a_forum(archive)

    code, output = run(archive)

    assert code == 0
    assert output.splitlines() == [
        "en: 1 untranslated, 1 outdated",
        "  R_es  untranslated  topics/2026-w40-d_a/R_es.md",
        "  R_fr  outdated  topics/2026-w40-d_a/R_fr.md",
        "fr: 1 untranslated, 0 outdated",
        "  R_es  untranslated  topics/2026-w40-d_a/R_es.md",
        "es: 2 untranslated, 0 outdated",
        "  D_a  untranslated  topics/2026-w40-d_a/topic.md",
        "  R_fr  untranslated  topics/2026-w40-d_a/R_fr.md",
    ]


def test_export_then_import_takes_good_files_and_refuses_the_rest_with_reasons(
    archive: Archive, tmp_path: Path
) -> None:
    topic, _, french = a_forum(archive)
    package = tmp_path / "for-the-translator"

    code, output = run(archive, "export", "--lang", "es", "--out", str(package))

    assert code == 0 and output.startswith(f"Wrote 2 files into {package}")
    fields, body = read_file(package / "D_a.es.md")
    assert body == "How do you train examiners?"
    assert fields.metadata["title"] == "Training examiners" and fields.metadata["source_language"] == "en"
    assert (
        fields.metadata["context"]
        == "opening post by wipo-mod on 2026-10-01, topic 'Training examiners' (2026-W40)"
    )
    assert (
        read_file(package / "R_fr.es.md")[0].metadata["context"].startswith("reply by fr-luc on 2026-10-03")
    )

    # The translator's work: one done, one left as it was; and files that must be refused.
    done = (package / "D_a.es.md").read_text(encoding="utf-8")
    done = done.replace("translator: ''", "translator: Ana Traductora").replace(
        "title: Training examiners", "title: Formar a los examinadores"
    )
    (package / "D_a.es.md").write_text(
        done.replace("How do you train examiners?", "¿Cómo forman a los examinadores?")
    )
    (package / "R_x.es.md").write_text(done.replace("post: D_a", "post: R_x"))
    (package / "R_es.es.md").write_text(done.replace("post: D_a", "post: R_es"))
    stale = (package / "R_fr.es.md").read_text().replace("translator: ''", "translator: Ana")
    (package / "R_fr.es.md").write_text(stale.replace("Par compagnonnage.", "Por tutoría."))
    write_post(replace(french, body="Par compagnonnage, sur deux ans."))  # edited after the export

    code, output = run(archive, "import", str(package))

    assert code == 1
    assert output.splitlines() == [
        "Took 1 translations, refused 3.",
        "  took D_a (es)",
        "  refused R_es.es.md: the post is written in es already",
        "  refused R_fr.es.md: the original was edited since the export; export it again",
        "  refused R_x.es.md: no post R_x in content/",
    ]
    forum = load_forum(archive.content, ("en", "fr", "es"))
    translated = forum.topic("D_a").translation("es")
    assert (translated.title, translated.body, translated.translator) == (
        "Formar a los examinadores",
        "¿Cómo forman a los examinadores?",
        "Ana Traductora",
    )
    assert not (topic.path.parent / "R_fr.es.md").exists()


def test_an_untranslated_or_unsigned_file_is_refused(archive: Archive, tmp_path: Path) -> None:
    a_forum(archive)
    run(archive, "export", "--lang", "es", "--out", str(tmp_path))
    signed = (tmp_path / "D_a.es.md").read_text().replace("translator: ''", "translator: Ana")
    (tmp_path / "D_a.es.md").write_text(signed)

    code, output = run(archive, "import", str(tmp_path))

    assert code == 1
    assert "refused D_a.es.md: is still the source text; nothing was translated" in output
    assert "refused R_fr.es.md: is empty; the translator signs the translation" in output
    assert run(archive, "export", "--lang", "de", "--out", str(tmp_path))[1].endswith(
        "--lang de: expected one of en, fr, es\n"
    )
