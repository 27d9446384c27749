//! `kanaal sandbox serve`: runs the platform emulators on loopback until interrupted and prints
//! where they listen and which credentials they accept, so a merchant (or a script, with
//! `--format json`) can point a channel at them.

use clap::Subcommand;
use kanaal_sandbox::faults::FaultPlan;
use kanaal_sandbox::{Sandbox, SandboxConfig};

#[derive(Subcommand)]
pub enum SandboxCommand {
    /// Start the sandbox platforms and keep them running until Ctrl+C.
    Serve {
        /// Seed of the generated world; the same seed gives the same customers and orders.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Faults to inject: a share of calls such as 0.2, or rules such as
        /// 'lost:0.1:POST/retailer/offers,429:0.2' (kinds: 429, 500, 503, slow, drop, lost).
        #[arg(long, value_name = "RATE|SPEC")]
        faults: Option<String>,
        #[arg(long, value_enum, default_value_t = super::Format::Table)]
        format: super::Format,
    },
}

pub fn run(command: SandboxCommand) -> kanaal_core::Result<()> {
    let SandboxCommand::Serve {
        seed,
        faults,
        format,
    } = command;
    let faults = match faults {
        Some(spec) => FaultPlan::parse(&spec)
            .map_err(|e| kanaal_core::Error::invalid("--faults", e.to_string()))?,
        None => FaultPlan::none(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| kanaal_core::Error::invalid("sandbox", format!("could not start: {e}")))?;
    rt.block_on(async move {
        let sandbox = Sandbox::start(SandboxConfig {
            seed,
            faults,
            speed: 1.0,
        })
        .await
        .map_err(|e| kanaal_core::Error::invalid("sandbox", e.to_string()))?;
        match format {
            super::Format::Json => println!(
                "{}",
                serde_json::to_string_pretty(sandbox.platforms())
                    .map_err(|e| kanaal_core::Error::Corrupt(e.to_string()))?
            ),
            super::Format::Table => {
                for p in sandbox.platforms() {
                    println!("{}: {}", p.platform, p.base_url);
                    for (k, v) in &p.urls {
                        println!("  {k} URL: {v}");
                    }
                    for (k, v) in &p.credentials {
                        println!("  {k}: {v}");
                    }
                }
                println!("Sandbox running (seed {seed}). Press Ctrl+C to stop.");
            }
        }
        let _ = tokio::signal::ctrl_c().await;
        sandbox.shutdown().await;
        Ok(())
    })
}
