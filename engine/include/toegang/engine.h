// toegang::Engine: the delegation model of one federation, held in memory
// and persisted in one SQLite database file.
//
//   auto engine = toegang::Engine::Open("federation.db");
//   if (!engine.ok()) { report(engine.status()); return; }
//   toegang::Result<toegang::Decision> d =
//       (*engine)->Check("85073003328", "ama-wvg");
//   if (d.ok() && d->allowed) { /* let the person in */ }
//
// Mutations follow the rules of SPEC 4.4: Apply() either commits the whole
// change (its rows, its audit rows and the next revision in one SQLite
// transaction, durable when it returns) and then updates the in-memory
// graph, or refuses it, changes nothing, and records the refusal in the
// audit log.
//
// Thread safety: an Engine is thread-safe: any method may be called from
// any number of threads at once. What each call waits for:
//  - Check, Allowed, revision(): never wait and take no lock. The model is
//    held twice and a writer changes the copy no query is reading
//    (left-right; see docs/architecture.md); before the graph is loaded a
//    check reads the index snapshot (OpenOptions::index_snapshot).
//  - May, Preview, Explain, Access, Users, ManagedBy, Who, WhoPerson,
//    WhoFacility, FindByName, GraphDot: the same once the graph is loaded.
//    Before that they take the writer mutex, so they wait for the load and for
//    a writer: while the background load runs (a service started from the index
//    snapshot) to wait for it, and in a one-shot engine to read the part of the
//    federation they name (or, FindByName, to load the whole graph).
//  - Apply, the imports and Refresh are writers: they take the writer
//    mutex for the whole call and run one at a time. CatchUp takes it for
//    each look at the database, and waits between looks without it.
//  - Audit, Verify and GetStats read the database, which only the holder
//    of the writer mutex uses: they take it for the whole call, so they
//    wait for a writer and writers wait for them (Verify loads the
//    federation a second time while it holds it).
//  - startup() and follow_state() take a small bookkeeping mutex that no
//    call holds while it waits for anything.
// A query that starts after Apply() returns sees the change.
// Errors: no exception leaves a method (toegang/status.h). An internal
// failure (out of memory, a capacity limit of the model) is the code
// `internal`; when it left the model half-changed, the engine loads the
// federation again from the database before its next write or catch-up.
// Several processes may open the same database file: before each mutation
// (and, in OpenMode::kFollower, in the background) the engine
// catches up with commits made by others by replaying the change log.
#ifndef TOEGANG_ENGINE_H_
#define TOEGANG_ENGINE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "toegang/cards.h"
#include "toegang/mutation.h"
#include "toegang/queries.h"
#include "toegang/status.h"

namespace toegang {

// How an engine runs; the other OpenOptions say what it keeps on disk and
// whether it may write.
enum class OpenMode {
  // A service (the default): the graph is loaded at opening, its second
  // instance (left-right) is built in the background at once, and each
  // load's graph is first compacted into a base the two instances share
  // (about 0.4 s at M). The engine catches up with other processes' commits
  // when asked (Apply, the imports, CatchUp(), Refresh()).
  kService,
  // A service that also catches up by itself every follow_interval, in the
  // background (`toegang serve`, the C API with a follow interval).
  kFollower,
  // The engine answers a few calls and closes (a CLI command). Each call
  // reads only the part of the federation it names (a check: the index
  // snapshot when it is current), mutations and imports inside their write
  // transaction; Verify, Refresh, CatchUp and FindByName load the whole
  // graph, and GetStats counts in the database until one of them has
  // (Stats::graph_loaded). With the environment variable
  // TOEGANG_ONE_SHOT_LOAD=whole, the whole graph is loaded at the first
  // call other than a check instead. Nothing is compacted, no background
  // thread runs (docs/architecture.md, "One-shot commands").
  kOneShot,
};

struct OpenOptions {
  // Create the database file (mode 0600) and its schema when missing.
  // When false, a missing file is an error (code not_initialized).
  bool create_if_missing = false;
  // How the engine runs (see OpenMode).
  OpenMode mode = OpenMode::kService;
  // OpenMode::kFollower (and only it; Open refuses anything else with
  // usage): a background thread looks at the database this often and
  // applies the commits other processes made (the CLI, an admin tool), so
  // that queries see them within about this bound. Other modes catch up
  // only in Apply, the imports, CatchUp() and Refresh().
  std::chrono::milliseconds follow_interval{0};
  // Index snapshot (docs/architecture.md, "Start-up"): at opening, when the
  // file `<path>-index` was taken from exactly the database's current state
  // (this database, by its id, and this history, by its chain), checks are
  // answered from it (mapped, in milliseconds) until the graph is loaded;
  // the engine writes that file after a full load and when it closes,
  // whenever the file on disk is out of date. The file is a cache: a stale,
  // damaged or foreign one, or anything there that is not a regular file,
  // is ignored. A follower (OpenMode::kFollower) that can write watches
  // the database's revision meanwhile, and once another process has committed
  // past the snapshot, checks fail with revision_not_reached until the graph is
  // loaded and caught up. A database on a server (PostgreSQL) has no file
  // beside it: there the snapshot is index_snapshot_file, and there is none
  // without it. False: neither read nor written.
  bool index_snapshot = true;
  // For a database on a server (PostgreSQL): the local file on this host
  // that holds its index snapshot (one per host and database; a relative
  // path is taken from the working directory at opening). Empty: the file
  // the environment variable TOEGANG_INDEX_SNAPSHOT names (how the CLI and
  // `toegang serve` are told), else none. Ignored for a database file,
  // whose snapshot is `<path>-index` beside it.
  std::string index_snapshot_file;
  // A long-running engine (not kOneShot) whose model has moved past the
  // index snapshot on disk, by its own commits or by others' it caught up
  // with, writes a new one once no change has come for this long: a
  // restart after a crash, which skips the write at closing, then still
  // starts from a current snapshot instead of a full load. Writes wait
  // for it (26-60 ms at M); queries do not. Zero: written only after a
  // full load and at closing.
  std::chrono::milliseconds snapshot_after_idle{2000};
  // A long-running engine keeps each change in overlays beside the bases
  // it shares between its two model instances (docs/architecture.md, "The
  // graph in memory"). Once the overlays hold this many changes (edges
  // added or removed since the bases were built, plus persons whose rights
  // changed), the writer folds them into new bases, after the commit that
  // got there: writes wait for it (a quarter of a second at M), queries
  // do not. Zero: the larger of 50,000 and a twentieth of the graph's edges.
  // Not in a one-shot engine, whose model lives one command.
  size_t compact_after_changes = 0;
  // Where a long-running engine keeps the compact bases of the graph and
  // of the person table, which checks never read (explain, listings and
  // writes do; docs/architecture.md, "Where the bases live"). True: in an
  // unnamed file in the database's directory (never synced, gone when the
  // engine closes or dies), mapped read-only, so that the kernel pages in
  // what is read and can drop those pages again under memory pressure.
  // False, or when that file cannot be written (a read-only directory, a
  // full disk): on the heap. The answers are the same either way.
  bool map_bases = true;
  // Open the database read-only: queries work, every write (mutations,
  // imports) is refused with read_only. A database this process cannot
  // write (a read-only file system, a file or directory without write
  // permission for this user) is opened so without being asked. A
  // read-only engine does not see commits made by others after opening
  // when the file had to be opened immutable (no -wal file and none can
  // be made: a read-only medium).
  bool read_only = false;
  // Build the name search's index (FindByName) with every full load of the
  // graph instead of at the first search after it: about 0.3 s of CPU and
  // 4 bytes a name at M (plus the sort's temporary memory) at each load, so
  // that no search waits for it. At opening it is built in the background,
  // off the path to the first check; a reload (an import, a catch-up past
  // one) builds it before the new model is put in place. `toegang serve`
  // sets it when it serves the helpdesk pages (--admin-listen). Not in a
  // one-shot engine.
  bool index_names = false;
  // For tests only: when set, the background thread that loads the graph
  // after a start from an index snapshot calls this first and loads only
  // once it returns (a test holds the load to see what checks answer
  // meanwhile). Never set it in production code.
  std::function<void()> load_gate_for_tests;
};

// How the engine started (health checks, metrics, benchmarks).
struct StartupInfo {
  // Checks were answered from an index snapshot until the graph was loaded.
  bool from_snapshot = false;
  // Why no snapshot was used (empty when one was, or when switched off).
  std::string snapshot_note;
  bool model_loaded = false;  // the graph is in memory (now)
  int64_t snapshot_ms = 0;    // mapping and validating the snapshot
  int64_t load_ms = 0;        // the last full load of the graph, 0 if none
};

// Where the engine stands with the change log (for health checks and
// metrics).
struct FollowState {
  uint64_t revision = 0;         // revision of the in-memory model
  int64_t last_catch_up_ms = 0;  // unix ms of the last look at the
                                 // database, 0 when never
  int64_t current_ms = 0;        // unix ms when the model was last known to
                                 // be the database's latest: the last look
                                 // that succeeded, else the opening
  uint64_t catch_ups = 0;        // looks that applied something
  uint64_t replayed = 0;         // revisions applied from the change log
  uint64_t reloads = 0;          // catch-ups that loaded everything
                                 // (an import in the log)
  uint64_t failures = 0;         // looks that failed (storage errors)
  uint64_t skipped = 0;          // looks left to a writer that held the
                                 // writer lock then (it catches up itself
                                 // before it changes anything)
  uint64_t compactions = 0;      // times the overlays were folded into new
                                 // bases (OpenOptions::compact_after_changes;
                                 // the same as Stats::compactions)
  std::string last_error;        // message of the last failure
  // Whether the database can still be read and followed: false when the
  // database file or its write-ahead log was removed or replaced since the
  // engine opened them, or the last look at the database (or the load of
  // the graph) failed; store_error then says which.
  bool store_ok = true;
  std::string store_error;
};

// The answer to check(insz, application, [hco]) (SPEC 4.5).
struct Decision {
  bool allowed = false;
  uint64_t revision = 0;  // the revision the decision was made at
  // When allowed: the HCO numbers of the facilities through which access is
  // granted, sorted. Empty when denied.
  std::vector<std::string> facilities;
  // The question decided, as answers echo it (toegang/answer_json.h): the
  // person's INSZ in its canonical 11 digits whatever form was asked, and
  // the application and facility as the caller named them (hco empty when
  // any facility was asked).
  std::string insz;
  std::string application;
  std::string hco;
};

// One kind of change a mutation makes besides the one it names (its
// cascade, SPEC 4.4): `subafdeling remove` revokes every right there,
// removes its users and managers and withdraws its applications;
// `subafdeling deauthorize` revokes the application's rights there.
struct CascadeStep {
  std::string action;  // the change, as an action name: "user.revoke"
  size_t count = 0;    // how many such changes
  // The first kListed of them, in the order they apply: a person as
  // "NAME (82.01.01-245.96)", followed by the application's code for a
  // right; an application (subafdeling.deauthorize) by its code.
  std::vector<std::string> first;
  static constexpr size_t kListed = 5;
};

// How GraphDot draws an enterprise.
struct GraphOptions {
  Lang lang = Lang::kNl;  // of the labels
  enum class Detail {
    // kSummary when the enterprise has more than kSummaryAbove users and
    // right holders in all, kFull otherwise.
    kAuto,
    kFull,     // every user and right as a vertex and edges of its own
    kSummary,  // per subafdeling one vertex counting its users and rights
               // (the managers, TBs, HTB and WVs are still drawn)
  };
  Detail detail = Detail::kAuto;
  static constexpr size_t kSummaryAbove = 200;
};

// What a mutation would do, planned against one revision (Preview).
struct MutationPreview {
  uint64_t revision = 0;  // the revision it was planned against
  // In the order the changes apply; empty when the mutation changes
  // nothing but what it names.
  std::vector<CascadeStep> cascade;
};

// What a committed mutation did.
struct CommitInfo {
  uint64_t revision = 0;  // the revision it committed as
  // One line per change it made, e.g. "user.revoke 85073003328 ama-wvg at
  // 12345 (deauthorized)"; the first is the mutation itself.
  std::vector<std::string> changes;
  // The changes besides the mutation itself, counted per kind (as
  // MutationPreview::cascade).
  std::vector<CascadeStep> cascade;
};

struct ImportOptions {
  // Load the good rows and report the bad ones, instead of refusing the
  // whole file.
  bool skip_invalid = false;
  // ImportFunctions / ImportFacilities: the file is the whole registry. A
  // function (kbo, insz, role) it does not list ends; an active facility it
  // does not list closes. Not with skip_invalid (a skipped row would end
  // what it lists): that is a usage error.
  bool full = false;
  // Validate, compute what would change and its impact (ImportReport::
  // changes and impact), and write nothing: no revision, no audit row.
  bool dry_run = false;
  // ImportKboOpenData: apply an update extract even when the extracts
  // before it were not applied (extract_gap otherwise).
  bool force = false;
  // Called now and then with bytes read so far and the file size.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct RowError {
  std::string file;
  size_t line = 0;
  std::string code;
  std::string message;
};

// The registry changes of an import that can change a decision; each is
// also an audit row of its own (docs/cli.md, "import").
struct RegistryChanges {
  size_t enterprises_stopped = 0;
  size_t enterprises_reactivated = 0;
  size_t functions_added = 0;
  size_t functions_ended = 0;
  size_t facilities_closed = 0;
  size_t facilities_reopened = 0;
  size_t facilities_moved = 0;
  size_t total() const {
    return enterprises_stopped + enterprises_reactivated + functions_added +
           functions_ended + facilities_closed + facilities_reopened +
           facilities_moved;
  }
};

// How an import changes who may use one application (SPEC 4.5): persons
// allowed before and not after (lose), or the other way round (gain),
// anywhere in the federation.
struct AccessImpact {
  std::string application;  // code
  size_t lose = 0;
  size_t gain = 0;
  // The first kListed of each, by INSZ (11 digits).
  std::vector<std::string> losing, gaining;
  static constexpr size_t kListed = 20;
};

struct ImportReport {
  uint64_t revision = 0;  // revision committed, 0 when nothing changed
  bool dry_run = false;   // nothing was written (ImportOptions::dry_run)
  RegistryChanges changes;
  // One entry per application of the catalogue, in catalogue order; filled
  // by a dry run and by a real import alike (before it commits).
  std::vector<AccessImpact> impact;
  // ImportKboOpenData: the extract's number and type ("full" | "update"),
  // whether it had been applied already (then nothing changed), and how
  // many files of kinds toegang does not read it holds (address,
  // activity, ...).
  uint64_t extract_number = 0;
  std::string extract_type;
  bool already_applied = false;
  size_t other_files = 0;
  size_t rows = 0;  // data rows read
  size_t inserted = 0;
  size_t updated = 0;
  size_t unchanged = 0;
  size_t ignored = 0;  // rows that are not for this registry (e.g.
                       // establishment units in denomination.csv)
  size_t invalid = 0;  // bad rows (all of them, even if not all listed)
  std::vector<RowError> errors;  // the first kMaxListedErrors bad rows
  static constexpr size_t kMaxListedErrors = 1000;
};

// One audit log row: a committed change (revision > 0) or a refusal
// (revision == 0, outcome "refused").
struct AuditRecord {
  uint64_t seq = 0;
  uint64_t revision = 0;
  std::string at;     // ISO-8601 UTC
  std::string actor;  // INSZ, empty for imports
  // The actor's name in the persons registry as it is now; empty when the
  // registry has none (or for imports).
  std::string actor_name;
  std::string action;   // e.g. "user.grant", "import.kbo"
  std::string kbo;      // enterprise concerned, when there is one
  std::string outcome;  // "ok" | "refused"
  std::string code;     // error code of a refusal
  std::string detail;   // JSON object
  std::string message;
};

struct AuditQuery {
  uint64_t since_revision = 0;  // only committed changes after this revision
                                // (0: everything, refusals included)
  std::string kbo;              // only rows about this enterprise
  uint64_t after_seq = 0;       // cursor: rows with seq > after_seq
  size_t limit = 100;
  // Newest first (since_revision must be 0; it is ignored otherwise): the
  // rows in descending seq, and before_seq the cursor instead of
  // after_seq: rows with seq < before_seq (0: from the newest).
  bool newest_first = false;
  uint64_t before_seq = 0;
  std::string insz;  // only rows this person made or is named in
  std::string hco;   // only rows that name this facility
};

struct Stats {
  uint64_t revision = 0;
  size_t enterprises = 0, active_enterprises = 0;
  size_t persons = 0;
  size_t facilities = 0;
  size_t htbs = 0;
  size_t domain_managers = 0;
  size_t subafdelingen = 0;
  size_t users = 0;
  size_t rights = 0;
  size_t audit_rows = 0;
  // False when a one-shot engine that reads parts (OpenMode::kOneShot)
  // answered without the whole graph: the counts above are the store's,
  // the graph and memory figures below are 0. Refresh() first loads the
  // whole graph, and then GetStats gives them.
  bool graph_loaded = true;
  size_t graph_vertices = 0, graph_edges = 0;
  // How the graph holds its edges (link_graph.h): in the compact base built
  // when the model was loaded or last compacted (less those removed
  // since), and in the overlay of edges added since. A long-running engine
  // compacts each load and reload, and when the overlays grow past
  // OpenOptions::compact_after_changes; a one-shot engine (the CLI) holds
  // everything in the overlay.
  size_t graph_base_edges = 0, graph_overlay_edges = 0;
  // The check index (check_index.h) the same way: persons whose rights are
  // held in the instance's own table (changed since the load, in a
  // long-running engine; all of them in a one-shot engine), and the bytes
  // of the shared base plus one instance's own table.
  size_t overlay_persons = 0;
  size_t index_bytes = 0;
  // Bytes of the graph's and the person table's bases held in the mapped
  // file of OpenOptions::map_bases (0: on the heap). They count in the
  // process's resident set only while their pages are in memory.
  size_t mapped_base_bytes = 0;
  // Times the running engine folded its overlays into new bases (not
  // counting loads).
  size_t compactions = 0;
  // Names in the name search's index of the model in memory: 0 until the
  // first FindByName after a load, or the load itself with
  // OpenOptions::index_names, has built it.
  size_t name_index_entries = 0;
};

// How Engine::Verify checks.
struct VerifyOptions {
  // Also check every index of the database against its table (SQLite's
  // integrity_check: 17 s instead of 6 s for the whole Verify at a million
  // persons). By default the database's pages and foreign keys are checked
  // (quick_check), which finds a damaged file.
  bool thorough = false;
  // Called on the calling thread as each step begins, with the step's
  // words ("loading the graph"), its number from 1 and the number of
  // steps; may be empty.
  std::function<void(std::string_view step, int number, int steps)> progress;
};

class Engine {
 public:
  // Opens (or with options.create_if_missing creates) the database at path,
  // applies pending schema migrations, and loads the delegation graph.
  // A relative path is resolved against the working directory once, here:
  // what the engine writes beside the database later (the index snapshot,
  // the mapped bases) goes beside it even if the process moves.
  // Failure codes: not_initialized, not_a_database, schema_too_new,
  // read_only (a database that needs a migration, or a missing one to
  // create, opened read-only), storage_error.
  static Result<std::unique_ptr<Engine>> Open(const std::string& path,
                                              const OpenOptions& options = {});

  virtual ~Engine() = default;

  // Applies one mutation (SPEC 4.4). On success the change is durable and
  // visible to every query that starts after Apply returns. On failure
  // nothing changed; a refusal (kind kRefused) is recorded in the audit log
  // with the actor, invalid input (kInvalidInput) is not. On an engine
  // opened read-only: read_only (kStorage), nothing recorded.
  virtual Result<CommitInfo> Apply(const Mutation& mutation) = 0;

  // The rules of SPEC 4.4 as a query: the Status Apply() would return,
  // without changing or recording anything.
  virtual Status May(const Mutation& mutation) const = 0;

  // May with its consequences: the Status Apply() would return as the
  // failure, and on success the cascade Apply() would make at this
  // revision (a later commit by anyone can change it). Changes and records
  // nothing.
  virtual Result<MutationPreview> Preview(const Mutation& mutation) const = 0;

  // check(insz, application, [hco]) (SPEC 4.5). application is a code or
  // name; hco may be empty. A valid INSZ the federation does not know is
  // denied; an invalid INSZ, application or HCO is kInvalidInput. After a
  // start from an index snapshot whose background load failed, any other
  // check is storage_error until a retry loads it (fail closed); after one
  // whose database another process has changed since (seen within
  // OpenOptions::follow_interval of a follower), revision_not_reached until the
  // graph is loaded and caught up.
  virtual Result<Decision> Check(std::string_view insz,
                                 std::string_view application,
                                 std::string_view hco = {}) const = 0;

  // The verdict of Check alone, for gateways on the hot path: no
  // allocation when the inputs are valid. *revision (when not null) gets
  // the revision decided at. Same inputs and errors as Check.
  virtual Result<bool> Allowed(std::string_view insz,
                               std::string_view application,
                               std::string_view hco = {},
                               uint64_t* revision = nullptr) const = 0;

  // explain(insz, application, [hco]) (SPEC 4.5): the decision with its
  // chain when allowed, or the first failing condition for the closest
  // candidate with the manual section and the persons who can fix it.
  // Inputs as for Check.
  virtual Result<Explanation> Explain(std::string_view insz,
                                      std::string_view application,
                                      std::string_view hco,
                                      Lang lang) const = 0;

  // access(insz): every (application, facility) the person may use, ordered
  // by (application, hco).
  virtual Result<Page<AccessEntry>> Access(std::string_view insz,
                                           const PageRequest& page) const = 0;
  // users(hco, [application]): who may use the application (any, when
  // empty) at the facility, ordered by INSZ. A valid HCO that the
  // facilities registry does not hold is refused: facility_unknown.
  virtual Result<Page<UserEntry>> Users(std::string_view hco,
                                        std::string_view application,
                                        const PageRequest& page) const = 0;
  // managed-by(insz): the enterprises (as HTB), domains (as TB/co-TB or
  // HTB) and subafdelingen (as any of those or as named manager) the person
  // may administer, ordered by (kbo, kind, capacity, subdivision, hco).
  virtual Result<Page<ManagedEntry>> ManagedBy(
      std::string_view insz, const PageRequest& page) const = 0;
  // who(kbo): the helpdesk view of one enterprise. enterprise_unknown
  // (kRefused) when the KBO registry does not know it.
  virtual Result<WhoReport> Who(std::string_view kbo) const = 0;
  // who(insz): the helpdesk card of one person (toegang/cards.h): the
  // functions in the KBO, the administrative roles held by the person's
  // own links (with who made each and when), every membership with its
  // rights, and the decision per application of the catalogue with
  // Explain's answer in `lang` (so a card agrees with Check and Explain).
  // An invalid INSZ is kInvalidInput; a valid one the federation does not
  // know gets a card with known == false and every application denied.
  virtual Result<PersonCard> WhoPerson(std::string_view insz,
                                       Lang lang) const = 0;
  // who(hco): the helpdesk card of one facility: its organizer and status,
  // the organizer's HTB, each live subafdeling there with its managers,
  // TB and co-TBs, and every member with the rights held (none, too). An
  // invalid HCO is kInvalidInput; one the facilities registry does not
  // list is facility_unknown (kRefused).
  virtual Result<FacilityCard> WhoFacility(std::string_view hco) const = 0;
  // Persons and enterprises whose name starts with `prefix` (at least 2
  // characters; ASCII letters without case), ordered by name, paginated as
  // the listings are. The first search after the federation is loaded
  // (opening, an import) sorts every name once (about 0.35 s at M) while
  // other searches wait for it, unless OpenOptions::index_names had the
  // load do it; later searches binary search that index and read only
  // their page's names. Mutations change no name.
  virtual Result<Page<NameHit>> FindByName(std::string_view prefix,
                                           const PageRequest& page) const = 0;
  // graph(kbo): the enterprise's delegation graph as GraphViz DOT, in
  // options.lang, every user drawn or each subafdeling's users counted
  // (GraphOptions::detail).
  virtual Result<std::string> GraphDot(std::string_view kbo,
                                       const GraphOptions& options) const = 0;

  // Registry imports (SPEC 6). Atomic unless options.skip_invalid. Returns
  // ok, or import_rejected (nothing imported; *report lists the bad rows),
  // or a storage/io error. *report is filled in either case.
  virtual Status ImportKbo(const std::string& enterprises_csv,
                           const std::string& denominations_csv,
                           const ImportOptions& options,
                           ImportReport* report) = 0;
  // KBO Open Data as the KBO publishes it (SPEC 6): path is the extract's
  // zip as downloaded (read entry by entry, nothing unpacked) or the folder
  // it was unpacked into (meta.csv and the CSV files). A full extract's
  // enterprises are imported as ImportKbo does and every enterprise it
  // does not list is stopped; an update extract applies
  // enterprise_delete.csv before enterprise_insert.csv (a delete then an
  // insert of one number is a change, not a stop) and its denomination
  // inserts. Updates must follow the last extract applied in number
  // (extract_gap naming the missing numbers, unless options.force); one
  // applied already is a no-op; a full extract starts the sequence anew.
  // Failure codes besides ImportKbo's: invalid_extract (meta.csv
  // malformed, a file missing, not a KBO extract, a corrupt zip),
  // extract_gap,
  // no_full_extract (an update before any full extract).
  virtual Status ImportKboOpenData(const std::string& path,
                                   const ImportOptions& options,
                                   ImportReport* report) = 0;
  virtual Status ImportPersons(const std::string& csv,
                               const ImportOptions& options,
                               ImportReport* report) = 0;
  virtual Status ImportFunctions(const std::string& csv,
                                 const ImportOptions& options,
                                 ImportReport* report) = 0;
  virtual Status ImportFacilities(const std::string& csv,
                                  const ImportOptions& options,
                                  ImportReport* report) = 0;

  // Audit log rows in order, filtered by query.
  virtual Result<std::vector<AuditRecord>> Audit(
      const AuditQuery& query) const = 0;

  // Checks the database and the in-memory graph against each other and
  // against the invariants of the model (SPEC 4.3). Returns the problems
  // found; an empty list means all is well. A graph loaded for this call
  // (a one-shot engine's) is the database's own: it is checked against the
  // invariants, not loaded a second time to compare.
  virtual Result<std::vector<std::string>> Verify(
      const VerifyOptions& options) const = 0;
  Result<std::vector<std::string>> Verify() const { return Verify({}); }

  virtual Result<Stats> GetStats() const = 0;

  // The revision of the in-memory model.
  virtual uint64_t revision() const = 0;

  // Read-your-writes across processes (SPEC 4.7): catches up with commits
  // other processes made to the database until the in-memory model is at
  // least at `revision`, or `bound` has passed. Returns ok, or
  // revision_not_reached (kStorage) naming the revision reached. Catching
  // up replays the change log (a registry import in it makes the engine
  // load the federation again); queries go on meanwhile.
  virtual Status CatchUp(uint64_t revision,
                         std::chrono::milliseconds bound) = 0;

  // Applies whatever other processes have committed by now. Also waits
  // until the engine is fully built (after Open, the second instance of
  // the model that writers need is copied in the background while
  // queries already run).
  virtual Status Refresh() = 0;

  // How the engine started; see StartupInfo.
  virtual StartupInfo startup() const = 0;

  virtual FollowState follow_state() const = 0;
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_H_
