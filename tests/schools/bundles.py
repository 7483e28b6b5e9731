"""A small hand-made OneRoster bundle, and ways to break it."""

import io
import zipfile

MANIFEST = """propertyName,value
manifest.version,1.0
oneroster.version,1.1
file.orgs,bulk
file.academicSessions,bulk
file.classes,bulk
file.users,bulk
file.enrollments,bulk
"""
ORGS = """sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
d1,active,,Alpha District,district,AD,
s1,active,,Aspen Elementary,school,ASP,d1
s2,active,,Birch Middle,school,BIR,d1
"""
SESSIONS = """sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
y1,active,,2026-2027,schoolYear,2026-09-01,2027-06-30,,2027
t1,active,,Fall 2026,term,2026-09-01,2027-01-31,y1,2027
"""
CLASSES = """sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
c1,active,,Grade 3 homeroom,03,,,homeroom,,s1,t1,,,
c2,active,,Grade 7 math,07,,,scheduled,,s2,t1,,,
"""
USERS = """sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password
u1,active,,true,s1,student,,,Ada,Lovelace,,1001,,,,,03,
u2,active,,true,s1,student,,,Grace,Hopper,,1002,,,,,03,
u3,active,,true,s2,student,,,Alan,Turing,,1003,,,,,07,
t1,active,,true,s1,teacher,,,Tess,Teacher,,T1,tess@alpha.example,,,,,
p1,active,,true,s2,administrator,,,Pia,Principal,,P1,pia@alpha.example,,,,,
"""
ENROLLMENTS = """sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
e1,active,,c1,s1,u1,student,false,2026-09-01,
e2,active,,c1,s1,u2,student,false,2026-09-01,
e3,active,,c2,s2,u3,student,false,2026-09-01,
e4,active,,c1,s1,t1,teacher,true,2026-09-01,
"""
FILES = {
    "manifest.csv": MANIFEST,
    "orgs.csv": ORGS,
    "academicSessions.csv": SESSIONS,
    "classes.csv": CLASSES,
    "users.csv": USERS,
    "enrollments.csv": ENROLLMENTS,
}


def bundle(files: dict | None = None, *, drop=(), folder: str = "", raw: dict | None = None,
           encoding: str = "utf-8") -> bytes:  # fmt: skip
    """The valid bundle with some files replaced (text), removed, or given as raw bytes."""
    contents = {**FILES, **(files or {})}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in contents.items():
            if name in drop:
                continue
            data = (raw or {}).get(name) or text.encode(encoding)
            archive.writestr(folder + name, data)
    return out.getvalue()


def replace_line(text: str, start: str, new: str) -> str:
    lines = [new if line.startswith(start) else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def add_lines(text: str, *lines: str) -> str:
    return text + "".join(line + "\n" for line in lines)


def drop_line(text: str, start: str) -> str:
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith(start))
