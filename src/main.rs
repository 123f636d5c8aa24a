//! The `decompose` binary: parse arguments, call the library, map errors to
//! exit codes (0 success, 1 violations found by `check`, 2 usage or input
//! error). A closed stdout (`decompose ... | head`) is not an error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use decompose::analyze;
use decompose::cli::{AnalyzeArgs, Cli, Command, Format, GraphLevel};
use decompose::progress::Progress;
use decompose::report::{graph, html, json, markdown, routes, write};

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
    match cli.command {
        Command::Analyze(args) => run_analyze(&args),
        Command::Graph(args) => run_graph(&args),
    }
}

fn run_graph(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let (format, output) = args.graph_output()?;
    let cfg = args.config()?;
    set_threads(args)?;
    let analysis = analyze::analyze(&cfg, Progress::new(args.quiet))?;
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

fn run_analyze(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let cfg = args.config()?;
    set_threads(args)?;
    let analysis = analyze::analyze(&cfg, Progress::new(args.quiet))?;
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
    for format in args.formats() {
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
            eprintln!("decompose: warning: {w}");
        }
        for d in &report.diagnostics {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("decompose: warning: {}{line}: {}", d.unit, d.message);
        }
    } else {
        for w in report
            .warnings
            .iter()
            .filter(|w| !w.contains(": skipped: "))
            .take(20)
        {
            eprintln!("decompose: warning: {w}");
        }
        for d in report.diagnostics.iter().take(20) {
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("decompose: warning: {}{line}: {}", d.unit, d.message);
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
        Format::Nginx => routes::render_nginx(report),
        Format::RoutesYaml => routes::render_yaml(report),
        Format::Dot => graph::render_dot(report, level),
        Format::Mermaid => graph::render_mermaid(report, level),
        Format::Graphml => graph::render_graphml(report, level),
    }
}
