"""The bundled demo forum: rich enough to show the forum, and every page of it built right."""

from __future__ import annotations

import pytest
from conftest import BuiltSite

from sync.model.domain import Forum, ProposalStatus
from sync.site.pages import category_url, topic_slug
from sync.site.posts import shown

LANGUAGES = ("en", "fr", "es")


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


def test_the_demo_is_a_forum_worth_showing(demo: Forum) -> None:
    replies = [reply for topic in demo.topics for reply in topic.replies]
    states = {post.member_state for post in replies if post.member_state}

    assert len(demo.topics) >= 8
    assert len({topic.week for topic in demo.topics}) >= 6
    assert len({topic.category for topic in demo.topics}) >= 4
    assert len(replies) >= 40
    assert len(states) >= 8
    assert {reply.language for reply in replies} == set(LANGUAGES)
    assert any(reply.translations for reply in replies), "some replies are translated"
    assert any(not reply.translations for reply in replies), "some are not"
    assert sum(1 for reply in replies if reply.parent) >= 3, "a few replies to replies"
    assert any(not topic.replies for topic in demo.topics), "a topic with no reply yet"
    assert sum(1 for p in demo.proposals if p.status is ProposalStatus.OPEN) >= 2


def test_the_demo_builds_a_topic_page_per_topic_and_language_with_every_reply(
    demo: Forum, demo_site: BuiltSite
) -> None:
    for language in LANGUAGES:
        for topic in demo.topics:
            page = demo_site.page(f"{prefix(language)}topics/{topic_slug(topic.id)}/")
            assert page.html["lang"] == language
            assert page.h1.get_text() == topic.title_in(language)
            shown_ids = [article["id"] for article in page.select("article.forum-reply")]
            assert sorted(shown_ids) == sorted(f"post-{reply.id}" for reply in topic.replies)
            for reply in topic.replies:
                article = page.select_one(f"#post-{reply.id}")
                text = shown(reply, language)
                body = article.select_one(".forum-post__body")
                assert body["lang"] == text.language
                assert bool(article.select_one(".forum-post__note--pending")) == text.pending
                if reply.parent:
                    parent_item = article.find_parent("ol", class_="forum-thread--nested").find_parent("li")
                    assert parent_item.article["id"] == f"post-{reply.parent}"


def test_the_demo_lists_each_category_with_its_topics_in_each_language(
    demo: Forum, demo_site: BuiltSite
) -> None:
    for language in LANGUAGES:
        for category in demo.categories.values():
            page = demo_site.page(prefix(language) + category_url(category.id))
            assert page.h1.get_text() == category.name(language, "en")
            titles = [a.get_text() for a in page.select("table.forum-topics tbody td:first-child a")]
            assert titles == [t.title_in(language) for t in demo.topics_in(category.id)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_home_page_opens_on_the_newest_topic(
    demo: Forum, demo_site: BuiltSite, language: str
) -> None:
    page = demo_site.page(prefix(language))

    assert page.select_one(".forum-week h3").get_text() == demo.topics[0].title_in(language)
    assert len(page.select(".forum-latest li")) == 10
    waiting = [p for p in demo.proposals if p.status is ProposalStatus.OPEN]
    assert len(page.select(".forum-proposals li")) == len(waiting)


def test_every_demo_file_is_written_as_the_forum_writes_it(demo: Forum) -> None:
    """So that a sync rewriting an unchanged post changes no byte, and review diffs stay clean."""
    from sync.model.content import markdown_text, post_metadata, translation_metadata

    posts = [*demo.proposals, *(post for topic in demo.topics for post in [topic, *topic.replies])]
    for post in posts:
        assert post.path.read_text(encoding="utf-8") == markdown_text(post_metadata(post), post.body), (
            post.path
        )
        for translation in post.translations.values():
            expected = markdown_text(translation_metadata(translation), translation.body)
            assert translation.path.read_text(encoding="utf-8") == expected, translation.path
