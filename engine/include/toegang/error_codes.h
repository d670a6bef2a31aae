// The stable error codes of toegang (SPEC 4.4, 4.5, 7).
//
// These strings are a public contract: scripts match on them, the audit log
// stores them, docs/cli.md lists each with its remedy. Add new codes; never
// rename or reuse one.
#ifndef TOEGANG_ERROR_CODES_H_
#define TOEGANG_ERROR_CODES_H_

#include <string_view>

namespace toegang::code {

// --- invalid input (Status::Kind::kInvalidInput, CLI exit 2) -------------
inline constexpr std::string_view kUsage = "usage";
inline constexpr std::string_view kInvalidInsz = "invalid_insz";
inline constexpr std::string_view kInvalidKbo = "invalid_kbo";
inline constexpr std::string_view kInvalidHco = "invalid_hco";
inline constexpr std::string_view kInvalidTypeCode = "invalid_type_code";
inline constexpr std::string_view kInvalidEmail = "invalid_email";
inline constexpr std::string_view kInvalidPhone = "invalid_phone";
inline constexpr std::string_view kUnknownCapacity = "unknown_capacity";
inline constexpr std::string_view kUnknownSubdivision = "unknown_subdivision";
inline constexpr std::string_view kUnknownApplication = "unknown_application";
inline constexpr std::string_view kAmbiguous = "ambiguous";
// An import file with bad rows, loaded atomically: nothing was imported.
inline constexpr std::string_view kImportRejected = "import_rejected";
// One bad row or header (reported per line inside an import report).
inline constexpr std::string_view kInvalidRow = "invalid_row";
inline constexpr std::string_view kInvalidHeader = "invalid_header";
// A name (or another text column) of an import row that is not UTF-8 or
// holds a control character, a bidirectional control or a line separator
// (toegang/text.h).
inline constexpr std::string_view kInvalidName = "invalid_name";
// The HTTP service got one input twice (two INSZ headers, a JSON key twice,
// a header and a query parameter for the same input): refused, since a
// proxy in front may have read the other one.
inline constexpr std::string_view kDuplicateInput = "duplicate_input";
// import kbo-open-data: not a KBO Open Data extract, meta.csv malformed, or
// a file the extract must hold is missing (the message names file, line).
inline constexpr std::string_view kInvalidExtract = "invalid_extract";
// A mutation with a cascade (it takes away more than it names) run on a
// terminal without --yes: nothing was changed; the CLI printed the cascade.
inline constexpr std::string_view kConfirmationNeeded = "confirmation_needed";

// --- refused by a rule (Status::Kind::kRefused, CLI exit 3) --------------
inline constexpr std::string_view kNotAuthorized = "not_authorized";
inline constexpr std::string_view kEnterpriseUnknown = "enterprise_unknown";
inline constexpr std::string_view kEnterpriseInactive = "enterprise_inactive";
inline constexpr std::string_view kNotWvOrEmployee = "not_wv_or_employee";
inline constexpr std::string_view kAlreadyHtb = "already_htb";
inline constexpr std::string_view kAlreadyActive = "already_active";
inline constexpr std::string_view kCapacityInactive = "capacity_inactive";
inline constexpr std::string_view kSubdivisionNotInCapacity =
    "subdivision_not_in_capacity";
inline constexpr std::string_view kAlreadyManager = "already_manager";
inline constexpr std::string_view kNotAManager = "not_a_manager";
inline constexpr std::string_view kFacilityUnknown = "facility_unknown";
inline constexpr std::string_view kFacilityNotOfEnterprise =
    "facility_not_of_enterprise";
inline constexpr std::string_view kFacilityInactive = "facility_inactive";
// A grant (subafdeling create/authorize/add-beheerder, user add/grant) on a
// facility CoBRHA lists as closed.
inline constexpr std::string_view kFacilityClosed = "facility_closed";
// The actor acts on a power whose KBO function ended: a former WV appoints
// an HTB, or an HTB no longer listed as WV or employee administers.
inline constexpr std::string_view kFunctionEnded = "function_ended";
// import kbo-open-data: an update extract that does not follow the last
// extract applied (the message names the missing numbers; --force applies
// it anyway), or an update before any full extract.
inline constexpr std::string_view kExtractGap = "extract_gap";
inline constexpr std::string_view kNoFullExtract = "no_full_extract";
inline constexpr std::string_view kAlreadyExists = "already_exists";
inline constexpr std::string_view kApplicationNotInCapacity =
    "application_not_in_capacity";
inline constexpr std::string_view kWrongFacilityType = "wrong_facility_type";
inline constexpr std::string_view kSubafdelingUnknown = "subafdeling_unknown";
inline constexpr std::string_view kAlreadyAuthorized = "already_authorized";
inline constexpr std::string_view kApplicationNotAuthorized =
    "application_not_authorized";
inline constexpr std::string_view kAlreadyUser = "already_user";
inline constexpr std::string_view kNotAUser = "not_a_user";
inline constexpr std::string_view kAlreadyGranted = "already_granted";
inline constexpr std::string_view kRightMissing = "right_missing";
// htb set-contact, subafdeling set-email: the contact data given is what
// is stored already; nothing would change.
inline constexpr std::string_view kContactUnchanged = "contact_unchanged";

// --- storage and I/O (Status::Kind::kStorage, CLI exit 4) ----------------
inline constexpr std::string_view kStorageError = "storage_error";
inline constexpr std::string_view kIoError = "io_error";
inline constexpr std::string_view kNotInitialized = "not_initialized";
inline constexpr std::string_view kSchemaTooNew = "schema_too_new";
inline constexpr std::string_view kNotADatabase = "not_a_database";
// check --at-least REV: the database has not reached that revision.
inline constexpr std::string_view kRevisionNotReached = "revision_not_reached";
// A write (mutation, import, init, a schema migration) to a database that
// is open read-only: on a read-only file system, a file or directory this
// user cannot write, or OpenOptions::read_only. Nothing was changed.
inline constexpr std::string_view kReadOnly = "read_only";
// verify found problems.
inline constexpr std::string_view kVerifyFailed = "verify_failed";
// generate --out names a file that exists (and --force was not given).
inline constexpr std::string_view kFileExists = "file_exists";
// copy --to names a database that already holds a federation (rows or
// revisions); nothing was copied.
inline constexpr std::string_view kNotEmpty = "not_empty";
// A failure inside toegang, not of the request or the database: out of
// memory, the federation past a capacity limit of the model, an exception
// no one expected (base/exception_boundary.h). HTTP 500; C API
// TOEGANG_INTERNAL.
inline constexpr std::string_view kInternal = "internal";

// --- the HTTP service and the C API only (no Status kind, no CLI exit) ---
// serve: the request's path is no endpoint (HTTP 404).
inline constexpr std::string_view kNotFound = "not_found";
// serve, the gateway endpoints (/v1/auth, /v1/ext_authz): the request names
// no INSZ (no identity header): not authenticated (HTTP 401).
inline constexpr std::string_view kMissingInsz = "missing_insz";
// C API: a required pointer argument was NULL (TOEGANG_NULL_ARGUMENT).
inline constexpr std::string_view kNullArgument = "null_argument";
// C API toegang_check: the facilities do not fit the caller's buffer
// (TOEGANG_BUFFER_TOO_SMALL).
inline constexpr std::string_view kBufferTooSmall = "buffer_too_small";

// --- reasons a check denies (SPEC 4.5); also used by explain -------------
inline constexpr std::string_view kNoHtb = "no_htb";
inline constexpr std::string_view kNoSubafdeling = "no_subafdeling";
// kEnterpriseInactive, kCapacityInactive, kFacilityInactive,
// kApplicationNotAuthorized, kNotAUser, kRightMissing are shared above.

}  // namespace toegang::code

#endif  // TOEGANG_ERROR_CODES_H_
