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


# OneRoster 1.2: roles live in roles.csv (one row per user, org and role), users.csv has
# preferredGivenName and primaryOrgSourcedId, and the manifest names the version.
MANIFEST_12 = """propertyName,value
manifest.version,1.0
oneroster.version,1.2
file.academicSessions,bulk
file.categories,absent
file.classes,bulk
file.classResources,absent
file.courses,absent
file.courseResources,absent
file.demographics,absent
file.enrollments,bulk
file.lineItemLearningObjectiveIds,absent
file.lineItems,absent
file.orgs,bulk
file.resources,absent
file.results,absent
file.roles,bulk
file.userProfiles,bulk
file.userResources,absent
file.users,bulk
source.systemName,Example SIS
source.systemCode,example
"""
USERS_12 = """sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns
u1,active,2026-08-20T10:00:00.000Z,true,ada.l,,Ada,Lovelace,,1001,,,,,03,,M-1001,,Addie,,,s1,
u2,active,2026-08-20T10:00:00.000Z,true,grace.h,,Grace,Hopper,,1002,,,,,03,,M-1002,,,,,s1,
u3,active,2026-08-20T10:00:00.000Z,true,alan.t,,Alan,Turing,,1003,,,,,07,,M-1003,,,,,s2,
t1,active,2026-08-20T10:00:00.000Z,true,tess,,Tess,Teacher,,T1,tess@alpha.example,,,,,,M-T1,,,,,s1,
p1,active,2026-08-20T10:00:00.000Z,true,pia,,Pia,Principal,,P1,pia@alpha.example,,,,,,M-P1,,,,,s2,
g1,active,2026-08-20T10:00:00.000Z,true,gus,,Gus,Guardian,,,gus@home.example,,,u1,,,,,,,,,
"""
ROLES_12 = """sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId
r1,active,2026-08-20T10:00:00.000Z,u1,primary,student,,,s1,
r2,active,2026-08-20T10:00:00.000Z,u2,primary,student,,,s1,
r3,active,2026-08-20T10:00:00.000Z,u3,primary,student,,,s2,
r4,active,2026-08-20T10:00:00.000Z,t1,primary,teacher,,,s1,
r5,active,2026-08-20T10:00:00.000Z,t1,secondary,teacher,,,s2,
r6,active,2026-08-20T10:00:00.000Z,p1,primary,principal,,,s2,
r7,active,2026-08-20T10:00:00.000Z,p1,secondary,teacher,,,s1,
r8,active,2026-08-20T10:00:00.000Z,g1,primary,guardian,,,s1,
"""
USER_PROFILES_12 = """sourcedId,status,dateLastModified,userSourcedId,profileType,vendorId,applicationId,description,credentialType,username,password
up1,active,2026-08-20T10:00:00.000Z,t1,lms,example,,Example LMS,username,tess,
"""
FILES_12 = {
    **FILES,
    "manifest.csv": MANIFEST_12,
    "users.csv": USERS_12,
    "roles.csv": ROLES_12,
    "userProfiles.csv": USER_PROFILES_12,
}


def delta_manifest(files: dict[str, str], version: str = "1.1") -> str:
    """A manifest naming ``files`` (name -> bulk/delta) and every other file absent."""
    names = ["academicSessions", "classes", "courses", "demographics", "enrollments", "orgs",
             "users"] + (["roles", "userProfiles"] if version == "1.2" else [])  # fmt: skip
    lines = ["propertyName,value", "manifest.version,1.0", f"oneroster.version,{version}"]
    lines += [f"file.{n},{files.get(n, 'absent')}" for n in names]
    return "\n".join(lines) + "\n"


def only(files: dict[str, str | bytes]) -> bytes:
    """A zip holding exactly ``files`` (a delta export carries only what changed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return out.getvalue()
