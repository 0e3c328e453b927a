"""Writes a PEP 503 tree of generated wheels for bench/fill: N top projects, each depending on two of N/2 shared
dependencies, two versions of each, and a lock file (name==version --hash=sha256:...) pinning the newest of all.
Usage: generate.py ROOT N [SALT]  (a SALT gives the same names with other content, hence other sha256)"""
import hashlib, io, os, sys, zipfile

root, count = sys.argv[1], int(sys.argv[2])
salt = sys.argv[3] if len(sys.argv) > 3 else ""
deps = max(1, count // 2)
os.makedirs(os.path.join(root, "packages"), exist_ok=True)
os.makedirs(os.path.join(root, "simple"), exist_ok=True)
projects, lock = {}, []

def wheel(name, version, requires):
    module = name.replace("-", "_")
    stem = f"{module}-{version}"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nRequires-Python: >=3.7\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in [(f"{module}/__init__.py", f"NAME = {name!r}\n" + f"# padding{salt}\n" * 200),
                           (f"{stem}.dist-info/METADATA", meta + "\nbench\n"),
                           (f"{stem}.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
                           (f"{stem}.dist-info/RECORD", "")]:
            info = zipfile.ZipInfo(path, (2024, 1, 1, 0, 0, 0))
            z.writestr(info, text)
    data = buffer.getvalue()
    file = f"{stem}-py3-none-any.whl"
    with open(os.path.join(root, "packages", file), "wb") as f:
        f.write(data)
    sha = hashlib.sha256(data).hexdigest()
    projects.setdefault(name, []).append(f'<a href="../../packages/{file}#sha256={sha}">{file}</a><br>')
    return sha

for i in range(deps):
    wheel(f"dep-{i:03}", "1.0", [])
    lock.append(f"dep-{i:03}==1.1 --hash=sha256:{wheel(f'dep-{i:03}', '1.1', [])}")
for i in range(count):
    requires = [f"dep-{(i * 7) % deps:03}>=1.0", f"dep-{(i * 13 + 1) % deps:03}"]
    wheel(f"proj-{i:03}", "1.0", requires)
    lock.append(f"proj-{i:03}==2.0 --hash=sha256:{wheel(f'proj-{i:03}', '2.0', requires)}")
for name, links in projects.items():
    os.makedirs(os.path.join(root, "simple", name), exist_ok=True)
    with open(os.path.join(root, "simple", name, "index.html"), "w") as f:
        f.write("<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")
with open(os.path.join(root, "simple", "index.html"), "w") as f:
    f.write("<!DOCTYPE html><html><body>\n" + "".join(f'<a href="{n}/">{n}</a><br>\n' for n in sorted(projects)) + "</body></html>\n")
with open(os.path.join(root, "lock.txt"), "w") as f:
    f.write("\n".join(sorted(lock)) + "\n")
with open(os.path.join(root, "requirements.txt"), "w") as f:
    f.write("\n".join(f"proj-{i:03}" for i in range(count)) + "\n")
print(f"{len(projects)} projects, {sum(len(v) for v in projects.values())} wheels")
