"""The public shell of the 政府信息公开 column: the home page, the main navigation, the organ pages
(which combine an organ's 指南 and 制度, its catalog and its annual reports) and the sitemap.

Imports between apps go one way, from the top of this list down, never back up:
devtools (demo data and benchmarks) → portal → reports → proactive, litigation, proposals →
catalog, applications → organs, workdays. The portal may read every domain app through its
selectors; no domain app imports the portal or devtools.
"""
