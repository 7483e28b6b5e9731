"""The files of a OneRoster 1.1 and 1.2 bundle that the import reads: each file's required
and known columns, and which file each imported entity comes from."""

from __future__ import annotations

SPEC = {
    "manifest.csv": (["propertyName", "value"], ["propertyName", "value"]),
    "orgs.csv": (
        ["sourcedId", "name", "type"],
        ["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
         "parentSourcedId"],
    ),
    "academicSessions.csv": (
        ["sourcedId", "title", "type", "startDate", "endDate", "schoolYear"],
        ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
         "parentSourcedId", "schoolYear"],
    ),
    "classes.csv": (
        ["sourcedId", "title", "schoolSourcedId", "termSourcedIds"],
        ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
         "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
         "subjectCodes", "periods"],
    ),
    "users.csv": (
        ["sourcedId", "role", "givenName", "familyName", "orgSourcedIds"],
        ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
         "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email",
         "sms", "phone", "agentSourcedIds", "grades", "password", "preferredFirstName",
         "preferredMiddleName", "preferredLastName"],
    ),
    "enrollments.csv": (
        ["sourcedId", "classSourcedId", "userSourcedId", "role"],
        ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
         "userSourcedId", "role", "primary", "beginDate", "endDate"],
    ),
    "courses.csv": (
        ["sourcedId", "title"],
        ["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode",
         "grades", "orgSourcedId", "subjects", "subjectCodes"],
    ),
    "demographics.csv": (
        ["sourcedId"],
        ["sourcedId", "status", "dateLastModified", "birthDate", "sex",
         "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
         "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
         "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
         "cityOfBirth", "publicSchoolResidenceStatus"],
    ),
}  # fmt: skip
#: OneRoster 1.2 moves roles out of users.csv into roles.csv, and renames preferred names.
USERS_12 = [
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds",
    "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
    "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds",
    "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId",
    "pronouns",
]  # fmt: skip
SPEC_12 = {
    **SPEC,
    # Exports that add 1.1's role/orgSourcedIds to a 1.2 users.csv are read, not refused.
    "users.csv": (["sourcedId", "givenName", "familyName"],
                  USERS_12 + ["role", "orgSourcedIds", "preferredFirstName", "preferredLastName",
                              "agents"]),
    "roles.csv": (
        ["sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"],
        ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
         "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"],
    ),
    "userProfiles.csv": (
        ["sourcedId"],
        ["sourcedId", "status", "dateLastModified", "userSourcedId", "profileType", "vendorId",
         "applicationId", "description", "credentialType", "username", "password"],
    ),
    "demographics.csv": (["sourcedId"], SPEC["demographics.csv"][1] + ["birthDate", "sex"]),
}  # fmt: skip
SPECS = {"1.1": SPEC, "1.2": SPEC_12}
ENTITY_FILES = {
    "schools": "orgs.csv",
    "school_years": "academicSessions.csv",
    "classrooms": "classes.csv",
    "students": "users.csv",
    "other_schools": "users.csv",
    "staff": "users.csv",
    "enrolments": "enrollments.csv",
    "staff_assignments": "enrollments.csv",
}
