"""Shared by the review tests: compile one device of a site with lyncc."""
import os
import subprocess


def compile_device(lyncc, site, dev, target, tmp):
    """The text of DEV's TARGET output, or (None, the first error line)."""
    out = os.path.join(tmp, "%s.%s" % (dev, target))
    r = subprocess.run([lyncc, site, "-t", target, "--device", dev, "-o", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode != 0:
        return None, r.stderr.strip().split("\n")[0]
    with open(out, encoding="utf-8") as f:
        return f.read(), None
