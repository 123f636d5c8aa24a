//! The `decompose` binary: parse arguments, call the library, map errors to
//! exit codes (0 success, 1 violations found by `check`, 2 usage or input
//! error). A closed stdout (`decompose ... | head`) is not an error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use decompose::analyze;
use decompose::ci;
use decompose::cli::{
    AnalyzeArgs, CheckArgs, CheckFormat, Cli, Command, Format, GraphLevel, InitArgs, TrendArgs,
};
use decompose::pins::{self, KeepApart, PinSpec};
use decompose::progress::Progress;
use decompose::report::{graph, html, json, markdown, printable, routes, write};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("decompose: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  cause: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    decompose::cache::configure(cli.cache_setting());
    match cli.command {
        Command::Analyze(args) => run_analyze(&args),
        Command::Graph(args) => run_graph(&args),
        Command::Init(args) => run_init(&args),
        Command::Check(args) => run_check(&args),
        Command::Trend(args) => run_trend(&args),
    }
}

fn run_graph(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let (format, output) = args.graph_output()?;
    let cfg = analyze_config(args)?;
    set_threads(args)?;
    let mut analysis = analyze::analyze(&cfg, Progress::new(args.quiet))?;
    ci::trend::attach_rows(&mut analysis.report, &cfg.root);
    print_warnings(args, &analysis);
    let bytes = render(format, args.level, &analysis.report);
    if output == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        out.flush()?;
    } else {
        let path = Path::new(output);
        write::write_atomic(path, &bytes)?;
        if !args.quiet {
            eprintln!("decompose: wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn set_threads(args: &AnalyzeArgs) -> anyhow::Result<()> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot set up the worker threads")?;
    }
    Ok(())
}

fn run_init(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let out = ci::init::init(&ci::init::InitOptions {
        root: args.path.clone(),
        from: args.from.clone(),
        force: args.force,
        quiet: args.quiet,
    })?;
    eprintln!(
        "decompose: wrote {} ({} seams) and {} ({} cross-seam dependencies)",
        out.config.display(),
        out.seams,
        out.baseline.display(),
        out.baseline_entries
    );
    Ok(ExitCode::SUCCESS)
}

fn run_check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let opts = ci::check::CheckOptions {
        root: args.path.clone(),
        config: args
            .config
            .clone()
            .unwrap_or_else(|| args.path.join(ci::config::CONFIG_FILE)),
        baseline: args
            .baseline
            .clone()
            .unwrap_or_else(|| args.path.join(ci::BASELINE_FILE)),
        update_baseline: args.update_baseline,
        accept_new: args.accept_new,
        history: !args.no_history,
        quiet: args.quiet,
    };
    let result = ci::check::check(&opts)?;
    for w in result.warnings.iter().take(20) {
        eprintln!("decompose: warning: {}", printable(w));
    }
    let text = match args.format {
        CheckFormat::Text => ci::output::text(&result),
        CheckFormat::Json => ci::output::json(&result),
        CheckFormat::Markdown => ci::output::markdown(&result),
        CheckFormat::Sarif => ci::output::sarif(&result),
        CheckFormat::Github => ci::output::github(&result),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(if result.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_trend(args: &TrendArgs) -> anyhow::Result<ExitCode> {
    let out = ci::trend::trend(&ci::trend::TrendOptions {
        root: args.path.clone(),
        config: args
            .config
            .clone()
            .unwrap_or_else(|| args.path.join(ci::config::CONFIG_FILE)),
        output: args
            .output
            .clone()
            .unwrap_or_else(|| args.path.join(ci::TREND_FILE)),
        every: args.every,
        at: args.at.clone(),
        limit: args.limit,
        quiet: args.quiet,
    })?;
    for w in out.warnings.iter().take(20) {
        eprintln!("decompose: warning: {}", printable(w));
    }
    if out.seams_from_analysis {
        eprintln!("decompose: no decompose.toml: seams are the services of an analysis of the working tree");
    }
    eprintln!(
        "decompose: {} trend row(s) added, {} commit(s) already present",
        out.added.len(),
        out.already_present
    );
    Ok(ExitCode::SUCCESS)
}

/// The analysis settings: the flags; the seams (pins), `keep_apart` and
/// signal weights of decompose.toml (`--config FILE`, else the file in the
/// analysed root when there is one), weights only unless given on the
/// command line. Unknown keys are warnings; a malformed file is an error.
fn analyze_config(args: &AnalyzeArgs) -> anyhow::Result<analyze::AnalyzeConfig> {
    let mut cfg = args.config()?;
    let path = match &args.seam_config {
        Some(p) => Some(p.clone()),
        None => Some(cfg.root.join(ci::config::CONFIG_FILE)).filter(|p| p.is_file()),
    };
    let Some(path) = path else {
        return Ok(cfg);
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ci::config::ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let (file, warnings) = ci::config::Config::parse_lenient(&path, &text)?;
    if args.weights.is_none() {
        if let Some(w) = file.weights {
            cfg.weights = w;
        }
    }
    let source = |line: &usize| format!("{}:{line}", path.display());
    let mut pins: Vec<PinSpec> = file
        .seams
        .iter()
        .zip(&file.seam_lines)
        .map(|(s, line)| PinSpec {
            name: s.name.clone(),
            paths: s.paths.clone(),
            kernel: s.kernel,
            source: source(line),
        })
        .collect();
    // `--pin` adds to the file's seams.
    for p in std::mem::take(&mut cfg.pins) {
        pins::merge(&mut pins, p);
    }
    cfg.pins = pins;
    cfg.keep_apart = file
        .keep_apart
        .iter()
        .zip(&file.keep_apart_lines)
        .map(|(sides, line)| KeepApart {
            sides: sides.clone(),
            source: source(line),
        })
        .collect();
    cfg.config_warnings = warnings;
    Ok(cfg)
}

fn run_analyze(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let cfg = analyze_config(args)?;
    set_threads(args)?;
    let mut analysis = analyze::analyze(&cfg, Progress::new(args.quiet))?;
    ci::trend::attach_rows(&mut analysis.report, &cfg.root);
    let report = &analysis.report;
    print_warnings(args, &analysis);

    if args.output() == "-" {
        let bytes = render(args.formats()[0], args.level, report);
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let dir = Path::new(args.output());
    write::create_dir(dir)?;
    let mut formats = args.formats();
    // The comment-sized plan goes beside the full one.
    if formats.contains(&Format::Markdown) && !formats.contains(&Format::MarkdownComment) {
        formats.push(Format::MarkdownComment);
    }
    for format in formats {
        let path = dir.join(format.file_name());
        write::write_atomic(&path, &render(format, args.level, report))?;
        if !args.quiet {
            eprintln!("decompose: wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Warnings and diagnostics on stderr: the first 20 of each, or all with -v.
fn print_warnings(args: &AnalyzeArgs, analysis: &analyze::Analysis) {
    let report = &analysis.report;
    let n_warnings = report.warnings.len() + report.diagnostics.len();
    if args.verbose {
        let stages: Vec<String> = analysis
            .timings
            .stages
            .iter()
            .map(|(s, t)| format!("{s} {t:.3}s"))
            .collect();
        eprintln!("decompose: timings: {}", stages.join(", "));
        for w in &report.warnings {
            eprintln!("decompose: warning: {}", printable(w));
        }
        for d in &report.diagnostics {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!(
                "decompose: warning: {}{line}: {}",
                printable(&d.unit),
                printable(&d.message)
            );
        }
    } else {
        for w in report
            .warnings
            .iter()
            .filter(|w| !w.contains(": skipped: "))
            .take(20)
        {
            eprintln!("decompose: warning: {}", printable(w));
        }
        for d in report.diagnostics.iter().take(20) {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!(
                "decompose: warning: {}{line}: {}",
                printable(&d.unit),
                printable(&d.message)
            );
        }
        if report.skipped_files_count() > 0 {
            eprintln!(
                "decompose: warning: {} file(s) skipped; see \"skipped\" in report.json or run with -v",
                report.skipped_files_count()
            );
        }
        if n_warnings > 40 {
            eprintln!("decompose: ... more warnings in report.json (run with -v to print all)");
        }
    }
}

fn render(format: Format, level: GraphLevel, report: &decompose::report::Report) -> Vec<u8> {
    let level = match level {
        GraphLevel::Service => graph::Level::Service,
        GraphLevel::Unit => graph::Level::Unit,
    };
    match format {
        Format::Json => json::render(report),
        Format::Html => html::render(report),
        Format::Markdown => markdown::render(report),
        Format::MarkdownComment => markdown::render_comment(report),
        Format::Nginx => routes::render_nginx(report),
        Format::RoutesYaml => routes::render_yaml(report),
        Format::Dot => graph::render_dot(report, level),
        Format::Mermaid => graph::render_mermaid(report, level),
        Format::Graphml => graph::render_graphml(report, level),
    }
}
