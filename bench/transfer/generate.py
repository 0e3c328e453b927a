"""Writes a devpi-export (dumpversion 2) of N random release files of SIZE bytes into DIR, as devpi-export lays it out."""
import hashlib, json, os, sys
out, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files, projects = [], {}
for i in range(count):
    project, version = f"bench-{i // 10:04d}", f"1.0.{i % 10}"
    name = f"{project.replace('-', '_')}-{version}.tar.gz"
    rel = f"bench/dev/{project}/{version}/{name}"
    os.makedirs(os.path.join(out, os.path.dirname(rel)), exist_ok=True)
    data = os.urandom(size)
    with open(os.path.join(out, rel), "wb") as f:
        f.write(data)
    sha = hashlib.sha256(data).hexdigest()
    projects.setdefault(project, {})[version] = {"name": project, "version": version, "summary": "bench"}
    files.append({"version": version, "entrymapping": {"last_modified": "Fri, 04 Dec 2026 18:39:28 GMT",
        "hash_spec": f"sha256={sha}", "hashes": {"sha256": sha}, "project": project, "version": version},
        "log": [{"what": "upload", "who": "bench", "when": [2026, 12, 4, 18, 39, 28], "dst": "bench/dev"}],
        "type": "releasefile", "projectname": project, "relpath": rel})
index = {"dumpversion": "2", "users": {
    "root": {"username": "root", "pwhash": "$argon2id$v=19$m=102400,t=2,p=8$XKv1vpcSQmjtHQNA6N0b4w$PlFBZWHoyp0iClABjM3HTw", "created": "2026-12-04T18:39:16Z"},
    "bench": {"username": "bench", "pwhash": "$argon2id$v=19$m=102400,t=2,p=8$XKv1vpcSQmjtHQNA6N0b4w$PlFBZWHoyp0iClABjM3HTw", "created": "2026-12-04T18:39:16Z"}},
    "indexes": {"bench/dev": {"indexconfig": {"type": "stage", "bases": [], "volatile": False, "acl_upload": ["bench"]},
        "projects": projects, "files": files}}}
with open(os.path.join(out, "dataindex.json"), "w") as f:
    json.dump(index, f)
