/* toegang C API: the access decision of a toegang federation, for gateways
 * and languages that cannot link C++ (nginx modules, Lua, Go via cgo, ...).
 *
 *   toegang_engine* engine = NULL;
 *   if (toegang_open("federation.db", 50, &engine) != TOEGANG_OK) {
 *     fprintf(stderr, "%s\n", toegang_last_error());
 *     return;
 *   }
 *   int allowed = 0;
 *   uint64_t revision = 0;
 *   char facilities[256];
 *   if (toegang_check(engine, "75113051741", "ama-wvg", NULL, &allowed,
 *                     &revision, facilities, sizeof facilities,
 *                     NULL) == TOEGANG_OK && allowed) {
 *     // let the person in; facilities is e.g. "1100234,1100235"
 *   }
 *   toegang_close(engine);
 *
 * Every function returns one of the TOEGANG_* codes below; a denied check
 * is not an error (TOEGANG_OK with *allowed == 0). On any other result the
 * calling thread's toegang_last_error() and toegang_last_error_code() say
 * why. No C++ exception ever leaves these functions.
 *
 * Strings in are NUL-terminated UTF-8; identifiers are accepted in every
 * form the C++ API accepts ("75113051741", "75.11.30-517.41").
 *
 * Thread safety: an engine handle may be used by any number of threads at
 * once (checks never wait for a writer; see toegang/engine.h), except
 * toegang_close(), which the caller must not run concurrently with any
 * other call on the same handle. The last-error functions are per thread.
 */
#ifndef TOEGANG_TOEGANG_H_
#define TOEGANG_TOEGANG_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. 2, 3 and 4 are the CLI's exit codes for the same kinds of
 * failure (docs/cli.md section 3). */
enum {
  /* Success (for toegang_check: a decision was made, allowed or not). */
  TOEGANG_OK = 0,
  /* The input is malformed: an invalid INSZ or HCO, an unknown application
   * or language. toegang_last_error_code() names it (invalid_insz,
   * invalid_hco, unknown_application, usage, ...). */
  TOEGANG_INVALID_INPUT = 2,
  /* Well-formed but refused by a rule of the model (not used by the calls
   * of this header today; kept for the same meaning as the CLI's exit 3). */
  TOEGANG_REFUSED = 3,
  /* The database or the file system failed: not_initialized,
   * not_a_database, schema_too_new, storage_error, and
   * revision_not_reached from toegang_catch_up(). */
  TOEGANG_STORAGE = 4,
  /* toegang_check: the facilities did not fit the caller's buffer. The
   * decision (*allowed, *revision) is filled in, the buffer holds the
   * empty string, and *facilities_length the length needed (without the
   * NUL). */
  TOEGANG_BUFFER_TOO_SMALL = 5,
  /* A required pointer argument was NULL (code "null_argument"). */
  TOEGANG_NULL_ARGUMENT = 6,
  /* Out of memory or another internal failure (code "internal"). */
  TOEGANG_INTERNAL = 7
};

/* An open federation. Opaque. */
typedef struct toegang_engine toegang_engine;

/* Opens the federation database at path (which must exist: create it with
 * `toegang init`). follow_ms > 0 starts a background thread that applies
 * commits made by other processes (the CLI) every follow_ms milliseconds;
 * 0 follows only on toegang_catch_up(). On success *engine is the new
 * handle, owned by the caller (toegang_close). On failure *engine is NULL.
 * Codes: TOEGANG_STORAGE (not_initialized, not_a_database, schema_too_new,
 * storage_error), TOEGANG_NULL_ARGUMENT, TOEGANG_INVALID_INPUT (follow_ms
 * < 0). */
int toegang_open(const char* path, int follow_ms, toegang_engine** engine);

/* Closes the handle and frees everything it holds. NULL is ignored. */
void toegang_close(toegang_engine* engine);

/* May the person with this INSZ use the application (code or name), at
 * facility hco when hco is neither NULL nor ""? (SPEC 4.5.)
 * On TOEGANG_OK: *allowed is 1 or 0, *revision the revision the decision
 * was made at (revision may be NULL), and when facilities is not NULL the
 * granting HCO numbers, sorted and comma-separated ("1100234,1100235"; ""
 * when denied) are written there, NUL-terminated, if they fit in
 * facilities_size bytes. facilities_length (may be NULL) receives the
 * length of that text without the NUL, whether it fitted or not.
 * Codes: TOEGANG_OK, TOEGANG_INVALID_INPUT, TOEGANG_BUFFER_TOO_SMALL,
 * TOEGANG_NULL_ARGUMENT (engine, insz, app or allowed NULL),
 * TOEGANG_INTERNAL. A valid INSZ the federation does not know is denied. */
int toegang_check(toegang_engine* engine, const char* insz, const char* app,
                  const char* hco, int* allowed, uint64_t* revision,
                  char* facilities, size_t facilities_size,
                  size_t* facilities_length);

/* Why (not)? The explanation of SPEC 4.5 as JSON (the same object as
 * `toegang --json explain`, see toegang/answer_json.h), in lang "nl"
 * or "en" (NULL: "en"). On TOEGANG_OK *json is a NUL-terminated string the
 * caller frees with toegang_free(); on failure *json is NULL.
 * Codes: TOEGANG_OK, TOEGANG_INVALID_INPUT, TOEGANG_NULL_ARGUMENT,
 * TOEGANG_INTERNAL. */
int toegang_explain(toegang_engine* engine, const char* insz, const char* app,
                    const char* hco, const char* lang, char** json);

/* Read your writes (SPEC 4.7): waits until the engine has applied revision
 * `revision` (committed by any process), at most bound_ms milliseconds.
 * Codes: TOEGANG_OK, TOEGANG_STORAGE (code revision_not_reached when the
 * bound passed, or storage_error), TOEGANG_NULL_ARGUMENT,
 * TOEGANG_INVALID_INPUT (bound_ms < 0). */
int toegang_catch_up(toegang_engine* engine, uint64_t revision, int bound_ms);

/* The revision of the engine's model; 0 for a NULL handle. */
uint64_t toegang_revision(const toegang_engine* engine);

/* Frees a string this API allocated (toegang_explain). NULL is ignored. */
void toegang_free(void* p);

/* The message of the last failure of a toegang_* call in this thread, or ""
 * when the last call succeeded. Valid until the next toegang_* call in the
 * same thread; do not free. */
const char* toegang_last_error(void);

/* The stable code of that failure ("invalid_insz", "storage_error", ...,
 * see docs/cli.md section 10), or "" after a success. Same lifetime. */
const char* toegang_last_error_code(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TOEGANG_TOEGANG_H_ */
