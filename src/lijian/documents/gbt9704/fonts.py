"""The faces a GB/T 9704 document names, and what stands in for them on a server that lacks them.

The DOCX names the faces offices have (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312, 黑体, 宋体), so it prints
right on an office's own computer. LibreOffice on the server renders the PDF through ``fonts.conf``
(shipped beside this module), which maps each missing face onto a Noto CJK face; the document then
says which face stood in, so nobody takes the PDF for the final typeset.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _

TITLE_FONT = "方正小标宋简体"  # 2号 小标宋: the title
BODY_FONT = "仿宋_GB2312"  # 3号 仿宋: the body, third-level headings
KAI_FONT = "楷体_GB2312"  # 3号 楷体: second-level headings
HEI_FONT = "黑体"  # 3号 黑体: first-level headings, 附件 label
SONG_FONT = "宋体"  # 4号 宋体: page numbers, 发文机关标志 when no 小标宋
LATIN_FONT = "Times New Roman"  # Arabic numerals and Latin letters inside Chinese text

FACES = (BODY_FONT, TITLE_FONT, KAI_FONT, HEI_FONT, SONG_FONT)

FONTCONFIG_FILE = Path(__file__).with_name("fonts.conf")


def _run(*args: str, fontconfig: bool = False) -> str:
    env = dict(os.environ)
    if fontconfig:
        env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=20, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip()


@functools.cache
def _stand_ins() -> tuple[tuple[str, str], ...] | None:
    """(face, stand-in) for each face this server lacks; ``None`` when fontconfig is not here.
    Asked once per process: fonts are not installed while the server runs."""
    if not (shutil.which("fc-list") and shutil.which("fc-match")):
        return None
    missing = []
    for face in FACES:
        if _run("fc-list", f":family={face}", "family"):
            continue  # installed: LibreOffice uses the face itself
        missing.append((face, _run("fc-match", "-f", "%{family[0]}", face, fontconfig=True)))
    return tuple(missing)


def font_fallbacks() -> list[str]:
    """One sentence (in the active language) per face the documents name that this server lacks,
    saying which face the PDF uses instead; empty when every face is installed."""
    stand_ins = _stand_ins()
    if stand_ins is None:
        return [_("服务器无法检查字体（没有 fontconfig），PDF 的字体可能与公文要求不同。")]
    return [
        _("服务器没有“%(face)s”字体，PDF 以“%(stand_in)s”代替。")
        % {"face": face, "stand_in": stand_in or _("未知字体")}
        for face, stand_in in stand_ins
    ]
