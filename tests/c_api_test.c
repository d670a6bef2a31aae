/* The C API (toegang/toegang.h) from plain C11.
 *
 *   toegang_c_api_test PATH-TO-toegang-CLI PATH-TO-tools/demo
 *
 * Builds a small federation from the demo's registry files with the CLI
 * (the demo's enterprise, HTB, TB, one subafdeling, one user with the
 * right and one without), then asserts allowed, denied, invalid input,
 * buffer handling, explain and read-your-writes through the C API. Prints
 * "N passed, N failed" and exits non-zero on any failure. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toegang/toegang.h"

static int passed = 0;
static int failed = 0;

#define EXPECT(cond)                                                        \
  do {                                                                      \
    if (cond) {                                                             \
      ++passed;                                                             \
    } else {                                                                \
      ++failed;                                                             \
      fprintf(stderr, "%s:%d: FAILED: %s (last error: %s: %s)\n", __FILE__, \
              __LINE__, #cond, toegang_last_error_code(),                   \
              toegang_last_error());                                        \
    }                                                                       \
  } while (0)

static const char* cli;
static char db[512];

#define KBO "0412.345.614"
#define WV "78051212326"
#define HTB "82010124596"
#define TB "69072331112"
#define USER1 "75113051741"
#define USER2 "88080862668"
#define NOBODY "95021473380"

/* Runs `toegang --db DB ARGS`, output into OUT (or /dev/null); returns its
 * exit code. */
static int Cli(const char* args, const char* out) {
  char command[4096];
  snprintf(command, sizeof command, "'%s' --db '%s' %s > '%s' 2>&1", cli, db,
           args, out != NULL ? out : "/dev/null");
  int rc = system(command);
  return rc == -1 ? -1 : (rc >> 8) & 0xff;
}

static int MustCli(const char* args) {
  int rc = Cli(args, NULL);
  if (rc != 0) {
    fprintf(stderr, "setup failed (exit %d): toegang %s\n", rc, args);
    exit(2);
  }
  return rc;
}

static void BuildFederation(const char* demo) {
  char args[2048];
  MustCli("init");
  snprintf(args, sizeof args,
           "import kbo --enterprises '%s/enterprise.csv' --denominations "
           "'%s/denomination.csv'",
           demo, demo);
  MustCli(args);
  const char* registries[] = {"persons", "functions", "facilities"};
  for (int i = 0; i < 3; ++i) {
    snprintf(args, sizeof args, "import %s '%s/%s.csv'", registries[i], demo,
             registries[i]);
    MustCli(args);
  }
  MustCli("htb appoint --kbo " KBO " --insz " HTB " --by " WV);
  MustCli("hoedanigheid activate --kbo " KBO
          " --hoedanigheid 'eHealth Gezondheidszorg' --by " HTB);
  MustCli("tb set --kbo " KBO " --subdivisie Gezondheidszorg --insz " TB
          " --by " HTB);
  MustCli("subafdeling create --kbo " KBO
          " --hco 1100234 --email toegang@broeders.example --authorize "
          "ama-wvg --by " TB);
  MustCli("user add --hco 1100234 --insz " USER1 " --right ama-wvg --by " TB);
  MustCli("user add --hco 1100234 --insz " USER2 " --by " TB);
}

static void TestOpenFailures(const char* dir) {
  toegang_engine* engine = (toegang_engine*)1;
  char missing[600];
  snprintf(missing, sizeof missing, "%s/missing.db", dir);
  EXPECT(toegang_open(missing, 0, &engine) == TOEGANG_STORAGE);
  EXPECT(engine == NULL);
  EXPECT(strcmp(toegang_last_error_code(), "not_initialized") == 0);
  EXPECT(strlen(toegang_last_error()) > 0);
  EXPECT(toegang_open(db, -1, &engine) == TOEGANG_INVALID_INPUT);
  EXPECT(toegang_open(NULL, 0, &engine) == TOEGANG_NULL_ARGUMENT);
  EXPECT(toegang_open(db, 0, NULL) == TOEGANG_NULL_ARGUMENT);
}

static void TestCheck(toegang_engine* engine) {
  int allowed = -1;
  uint64_t revision = 0;
  char facilities[64];
  size_t length = 99;

  EXPECT(toegang_check(engine, USER1, "ama-wvg", NULL, &allowed, &revision,
                       facilities, sizeof facilities, &length) == TOEGANG_OK);
  EXPECT(allowed == 1);
  EXPECT(revision == toegang_revision(engine));
  EXPECT(revision > 0);
  EXPECT(strcmp(facilities, "1100234") == 0);
  EXPECT(length == 7);
  EXPECT(strcmp(toegang_last_error_code(), "") == 0);

  /* Any accepted form of the INSZ, a facility given, an application name. */
  EXPECT(toegang_check(engine, "75.11.30-517.41", "ama-wvg", "1100234",
                       &allowed, NULL, NULL, 0, NULL) == TOEGANG_OK);
  EXPECT(allowed == 1);
  EXPECT(toegang_check(engine, USER1, "ama-wvg", "1100235", &allowed, NULL,
                       facilities, sizeof facilities, &length) == TOEGANG_OK);
  EXPECT(allowed == 0);
  EXPECT(strcmp(facilities, "") == 0);
  EXPECT(length == 0);

  /* Too small a buffer: the decision is there, the facilities are not. */
  char tiny[4] = "xyz";
  allowed = -1;
  EXPECT(toegang_check(engine, USER1, "ama-wvg", "", &allowed, &revision, tiny,
                       sizeof tiny, &length) == TOEGANG_BUFFER_TOO_SMALL);
  EXPECT(allowed == 1);
  EXPECT(tiny[0] == '\0');
  EXPECT(length == 7);
  EXPECT(strcmp(toegang_last_error_code(), "buffer_too_small") == 0);

  /* Denied: a user without the right, a person nobody knows. */
  EXPECT(toegang_check(engine, USER2, "ama-wvg", NULL, &allowed, NULL,
                       facilities, sizeof facilities, NULL) == TOEGANG_OK);
  EXPECT(allowed == 0);
  EXPECT(toegang_check(engine, NOBODY, "ama-wvg", NULL, &allowed, NULL, NULL, 0,
                       NULL) == TOEGANG_OK);
  EXPECT(allowed == 0);

  /* Invalid input, with the engine's codes. */
  EXPECT(toegang_check(engine, "123", "ama-wvg", NULL, &allowed, NULL, NULL, 0,
                       NULL) == TOEGANG_INVALID_INPUT);
  EXPECT(strcmp(toegang_last_error_code(), "invalid_insz") == 0);
  EXPECT(strstr(toegang_last_error(), "11 digits") != NULL);
  EXPECT(toegang_check(engine, USER1, "no-such-app", NULL, &allowed, NULL, NULL,
                       0, NULL) == TOEGANG_INVALID_INPUT);
  EXPECT(strcmp(toegang_last_error_code(), "unknown_application") == 0);
  EXPECT(toegang_check(engine, USER1, "ama-wvg", "12x", &allowed, NULL, NULL, 0,
                       NULL) == TOEGANG_INVALID_INPUT);
  EXPECT(strcmp(toegang_last_error_code(), "invalid_hco") == 0);
  EXPECT(toegang_check(engine, NULL, "ama-wvg", NULL, &allowed, NULL, NULL, 0,
                       NULL) == TOEGANG_NULL_ARGUMENT);
  EXPECT(toegang_check(engine, USER1, "ama-wvg", NULL, NULL, NULL, NULL, 0,
                       NULL) == TOEGANG_NULL_ARGUMENT);
  EXPECT(toegang_check(NULL, USER1, "ama-wvg", NULL, &allowed, NULL, NULL, 0,
                       NULL) == TOEGANG_NULL_ARGUMENT);
}

static void TestExplain(toegang_engine* engine) {
  char* en = NULL;
  char* nl = NULL;
  EXPECT(toegang_explain(engine, USER2, "ama-wvg", NULL, "en", &en) ==
         TOEGANG_OK);
  EXPECT(toegang_explain(engine, USER2, "ama-wvg", NULL, "nl", &nl) ==
         TOEGANG_OK);
  EXPECT(en != NULL && strstr(en, "\"allowed\":false") != NULL);
  EXPECT(en != NULL && strstr(en, "\"reason\":\"right_missing\"") != NULL);
  EXPECT(en != NULL && strstr(en, "\"candidate_hco\":\"1100234\"") != NULL);
  EXPECT(en != NULL && nl != NULL && strcmp(en, nl) != 0);
  toegang_free(en);
  toegang_free(nl);

  char* chain = NULL;
  EXPECT(toegang_explain(engine, USER1, "ama-wvg", NULL, NULL, &chain) ==
         TOEGANG_OK);
  EXPECT(chain != NULL && strstr(chain, "\"allowed\":true") != NULL);
  EXPECT(chain != NULL && strstr(chain, "\"step\":\"htb\"") != NULL);
  toegang_free(chain);

  char* none = (char*)1;
  EXPECT(toegang_explain(engine, USER1, "ama-wvg", NULL, "fr", &none) ==
         TOEGANG_INVALID_INPUT);
  EXPECT(none == NULL);
  EXPECT(toegang_explain(engine, "1", "ama-wvg", NULL, "en", &none) ==
         TOEGANG_INVALID_INPUT);
  EXPECT(strcmp(toegang_last_error_code(), "invalid_insz") == 0);
  toegang_free(NULL);
}

/* A revoke through the CLI (another process) is seen once caught up. */
static void TestReadYourWrites(toegang_engine* engine, const char* dir) {
  char out[600];
  snprintf(out, sizeof out, "%s/revoke.json", dir);
  EXPECT(Cli("--json user revoke --hco 1100234 --insz " USER1
             " --right ama-wvg --by " TB,
             out) == 0);
  char text[4096] = "";
  FILE* f = fopen(out, "r");
  if (f != NULL) {
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
  }
  const char* at = strstr(text, "\"revision\":");
  EXPECT(at != NULL);
  uint64_t revision = at != NULL ? strtoull(at + 11, NULL, 10) : 0;
  EXPECT(revision > 0);

  EXPECT(toegang_catch_up(engine, revision + 100, 20) == TOEGANG_STORAGE);
  EXPECT(strcmp(toegang_last_error_code(), "revision_not_reached") == 0);
  EXPECT(toegang_catch_up(engine, revision, 2000) == TOEGANG_OK);
  EXPECT(toegang_revision(engine) >= revision);
  int allowed = -1;
  EXPECT(toegang_check(engine, USER1, "ama-wvg", NULL, &allowed, NULL, NULL, 0,
                       NULL) == TOEGANG_OK);
  EXPECT(allowed == 0);
  EXPECT(toegang_catch_up(engine, revision, -1) == TOEGANG_INVALID_INPUT);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s PATH-TO-toegang PATH-TO-tools/demo\n", argv[0]);
    return 2;
  }
  cli = argv[1];
  char dir[] = "/tmp/toegang-c-api-XXXXXX";
  if (mkdtemp(dir) == NULL) return 2;
  snprintf(db, sizeof db, "%s/federation.db", dir);
  BuildFederation(argv[2]);

  TestOpenFailures(dir);
  toegang_engine* engine = NULL;
  EXPECT(toegang_open(db, 20, &engine) == TOEGANG_OK);
  if (engine == NULL) {
    fprintf(stderr, "cannot open %s: %s\n", db, toegang_last_error());
    return 1;
  }
  TestCheck(engine);
  TestExplain(engine);
  TestReadYourWrites(engine, dir);
  toegang_close(engine);
  toegang_close(NULL);

  char cleanup[700];
  snprintf(cleanup, sizeof cleanup, "rm -rf '%s'", dir);
  if (system(cleanup) != 0) fprintf(stderr, "could not remove %s\n", dir);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
