"""New since a reader's last visit: what the pages tell the browser, whose script
(hooks/theme/assets/forum-new.js) compares it with what this device has seen.

Pages carry the ids and times of their posts in data- attributes (inside the encrypted
content, like the posts themselves); the device keeps ids and times only, never text, in
localStorage. Nothing is decided here about a reader: the build cannot know who reads.

What "new" means, for the script and the README: a post is new when it is dated after the
device's starting point and this device has not opened its topic page since it appeared.
The starting point is set on the device's first visit to the newest post the site then
held (so nothing is new on a first visit), and again by "Mark all as read". A topic page
opened marks its posts seen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from html import escape

from sync.i18n.interface import Interface
from sync.model.domain import Post, Topic
from sync.site.once import per_object


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def posts_attribute(posts: Iterable[Post]) -> str:
    """`data-forum-posts`: the posts' ids and times (seconds since 1970), the first one
    the item itself (a topic's opening post, or the reply listed), the others counted."""
    data = [[post.id, _seconds(post.date)] for post in posts]
    return f' data-forum-posts="{escape(json.dumps(data, separators=(",", ":")))}"'


@per_object  # the same wherever and in whichever language the topic is listed
def topic_attribute(topic: Topic) -> str:
    """A listed topic: its opening post, then its replies (counted as new replies)."""
    return posts_attribute([topic, *topic.replies])


# Where the script puts a listed item's marks: after its title.
SLOT = '<span class="forum-new-slot"></span>'


def newest_post(topics: Iterable[Topic]) -> datetime | None:
    """The newest post of the topics a listing shows (the home page: of the forum): where a
    device's count starts on its first visit, and what "Mark all as read" marks up to. A
    listing names its own topics' newest, not the forum's, so that a new post elsewhere
    leaves it as it was and a rebuild copies it (sync.site.incremental)."""
    dates = [post.date for topic in topics for post in (topic, *topic.replies)]
    return max(dates, default=None)


def new_words(t: Interface, newest: datetime | None = None, topic: Topic | None = None) -> str:
    """The script's words in the page's language, and what it needs to know of the page: a
    listing's newest post of the forum (`data-newest`), a topic page's posts (`data-posts`;
    topic pages carry nothing of other topics, so that an unchanged one can be copied
    from the last build)."""
    attributes = [
        f'data-new="{escape(t("new_mark"))}"',
        f'data-count="{escape(t("new_count", count="{count}"))}"',
        f'data-done="{escape(t("all_marked_read"))}"',
    ]
    if newest is not None:
        attributes.append(f'data-newest="{_seconds(newest)}"')
    html = f'<div id="forum-new" hidden {" ".join(attributes)}'
    if topic is not None:
        html += topic_attribute(topic).replace("data-forum-posts", "data-posts", 1)
    return html + "></div>"


def mark_all_read(t: Interface, newest: datetime | None) -> str:
    """A listing's "Mark all as read" and the words the script needs; shown by the script
    only (without it, the button would do nothing)."""
    button = (
        '<div class="forum-mark-read" hidden>'
        '<button type="button" class="md-button forum-mark-read__button">'
        f"{escape(t('mark_all_read'))}</button>"
        f' <span class="forum-mark-read__status" role="status"></span></div>'
    )
    return new_words(t, newest) + button
