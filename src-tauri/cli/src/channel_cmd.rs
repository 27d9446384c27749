//! `kanaal channel ...`: connect, list, test, pause, resume and remove channels, and show or set
//! a channel's price and stock rules (`kanaal channel rules NAME [--markup 15 ...]`; reading and
//! refusing them is kanaal-core's `publish::rules`). Credentials are
//! read from stdin (one `field=value` or bare value per line, in the order asked) or typed at a
//! prompt — never taken from the command line, where other users and shell history see them.

use clap::{Subcommand, ValueEnum};
use kanaal_channels::account;
use kanaal_channels::credentials::Credentials;
use kanaal_core::catalog::Source;
use kanaal_core::channels::{self, ChannelRecord};
use kanaal_core::clock::{Clock, SystemClock};
use kanaal_core::publish::rules::{self, RulesForm};
use kanaal_core::publish::Ending;
use kanaal_core::store::Store;
use kanaal_core::{Error, Result};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Shopify,
    Bol,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Shopify => "shopify",
            Kind::Bol => "bol",
        }
    }
}

#[derive(Subcommand)]
pub enum ChannelCommand {
    /// Connect a channel. Credentials are read from stdin or asked for, never from arguments.
    Add {
        #[arg(value_enum)]
        kind: Kind,
        #[arg(long)]
        name: String,
        /// API address other than the platform's own (e.g. the sandbox's).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// List the channels.
    List {
        #[arg(long, value_enum, default_value_t = super::Format::Table)]
        format: super::Format,
    },
    /// Make one cheap call to check the login details.
    Test { name: String },
    /// Stop sending to and fetching from a channel.
    Pause { name: String },
    /// Start a paused channel again.
    Resume { name: String },
    /// Remove a channel and delete its login details from the keyring.
    Remove { name: String },
    /// Show a channel's price and stock rules, or change the ones given (an empty value, as in
    /// `--max ""`, removes that rule). New prices go out with the next publish.
    Rules {
        name: String,
        /// Markup in percent on the catalog price (15 = +15 %).
        #[arg(long, allow_hyphen_values = true)]
        markup: Option<String>,
        /// Fixed markup in euro, added after the percentage (0,50 or 0.50).
        #[arg(long, allow_hyphen_values = true)]
        fixed: Option<String>,
        /// How prices end: cent, .95, .99 or .00 (whole euro); every ending rounds up.
        #[arg(long)]
        ending: Option<String>,
        /// Minimum margin over the cost price, in percent (empty: none).
        #[arg(long, allow_hyphen_values = true)]
        min_margin: Option<String>,
        /// Units kept back from this channel.
        #[arg(long, allow_hyphen_values = true)]
        buffer: Option<String>,
        /// Most units shown on this channel (empty: no maximum).
        #[arg(long, allow_hyphen_values = true)]
        max: Option<String>,
        /// Share of the stock (after the buffer) this channel may sell, in percent (empty: all).
        #[arg(long, allow_hyphen_values = true)]
        share: Option<String>,
    },
}

/// The `--ending` value as the merchant may write it.
fn ending(text: &str) -> Result<Ending> {
    match text.trim().trim_start_matches(['.', ',']) {
        "cent" | "" => Ok(Ending::Cent),
        "95" => Ok(Ending::X95),
        "99" => Ok(Ending::X99),
        "00" | "whole" => Ok(Ending::X00),
        _ => Err(Error::invalid(
            "ending",
            format!("'{text}' is not an ending: use cent, .95, .99 or .00"),
        )),
    }
}

/// A channel's rules as `kanaal channel rules` prints them.
fn print_rules(name: &str, form: &RulesForm) {
    let or = |text: &str, none: &str| {
        if text.is_empty() {
            none.to_string()
        } else {
            text.to_string()
        }
    };
    let ending = match form.ending {
        Ending::Cent => "to the cent",
        Ending::X95 => "up to .95",
        Ending::X99 => "up to .99",
        Ending::X00 => "up to a whole euro",
    };
    println!("Rules of \"{name}\":");
    println!("  markup          {} %", or(&form.markup_percent, "0"));
    println!("  fixed markup    € {}", or(&form.markup_fixed, "0.00"));
    println!("  ending          {ending}");
    println!(
        "  minimum margin  {}",
        if form.min_margin_percent.is_empty() {
            "none".to_string()
        } else {
            format!("{} % over cost", form.min_margin_percent)
        }
    );
    println!("  stock buffer    {}", or(&form.buffer, "0"));
    println!("  maximum shown   {}", or(&form.max, "no maximum"));
    println!(
        "  share of stock  {}",
        if form.share_percent.is_empty() {
            "all".to_string()
        } else {
            format!("{} %", form.share_percent)
        }
    );
}

fn by_name(store: &Store, name: &str) -> Result<ChannelRecord> {
    store
        .read(|tx| channels::find(tx, name))?
        .ok_or_else(|| Error::NotFound(format!("A channel named \"{name}\"")))
}

/// Whether a credential field is a secret (hidden while typed) rather than an identifier such as
/// bol.com's client id, which the merchant may want to see to check it.
fn is_secret(field: &str) -> bool {
    ["secret", "token", "password", "key"]
        .iter()
        .any(|w| field.contains(w))
}

fn read_credentials(kind: &str) -> Result<Credentials> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut lines = stdin.lock().lines();
    let mut creds = Credentials::new();
    for field in account::credential_fields(kind) {
        let read_error =
            |e: std::io::Error| Error::invalid(*field, format!("could not be read: {e}"));
        let line = if interactive && is_secret(field) {
            // Typed at a terminal: not echoed, so it stays off the screen (and out of
            // screen shares and terminal scrollback).
            rpassword::prompt_password(format!("{field} (not shown as you type): "))
                .map_err(read_error)?
        } else {
            if interactive {
                eprint!("{field}: ");
                let _ = std::io::stderr().flush();
            }
            // Piped by a script: read the line as it is.
            lines
                .next()
                .transpose()
                .map_err(read_error)?
                .unwrap_or_default()
        };
        let value = line
            .split_once('=')
            .filter(|(k, _)| k.trim() == *field)
            .map_or(line.as_str(), |(_, v)| v)
            .trim()
            .to_string();
        if value.is_empty() {
            return Err(Error::invalid(
                *field,
                format!("no {field} given: pipe it on stdin or type it at the prompt"),
            ));
        }
        creds = creds.with(field, value);
    }
    Ok(creds)
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> Result<T> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::invalid("connection", format!("could not start: {e}")))?;
    Ok(rt.block_on(f))
}

pub fn run(store: &Store, command: ChannelCommand) -> Result<()> {
    match command {
        ChannelCommand::Add {
            kind,
            name,
            base_url,
        } => {
            let creds = read_credentials(kind.code())?;
            let record = account::add_channel(
                store,
                kind.code(),
                &name,
                base_url.as_deref(),
                &creds,
                &SystemClock,
            )?;
            println!(
                "Added {} channel \"{}\"; its login details are in the system keyring.",
                kind.code(),
                record.name
            );
        }
        ChannelCommand::List { format } => {
            let list = store.read(channels::list)?;
            match format {
                super::Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&list)
                        .map_err(|e| Error::Corrupt(e.to_string()))?
                ),
                super::Format::Table => {
                    if list.is_empty() {
                        println!(
                            "No channels yet. Add one with: kanaal channel add bol --name NAME"
                        );
                    }
                    for c in list {
                        let state = if c.enabled { "active" } else { "paused" };
                        println!(
                            "{}  {}  {}  {}",
                            c.name,
                            c.kind,
                            state,
                            c.base_url.as_deref().unwrap_or("(platform's own address)")
                        );
                    }
                }
            }
        }
        ChannelCommand::Test { name } => {
            let record = by_name(store, &name)?;
            match block_on(account::test_connection(&record, Arc::new(SystemClock)))? {
                Ok(info) => println!("Connected: {}", info.account),
                Err(why) => return Err(Error::invalid(name, why)),
            }
        }
        ChannelCommand::Pause { name } => {
            let record = by_name(store, &name)?;
            store.write(|tx| channels::set_enabled(tx, record.id, false))?;
            println!(
                "Paused \"{name}\": nothing is sent to or fetched from it until you resume it."
            );
        }
        ChannelCommand::Resume { name } => {
            let record = by_name(store, &name)?;
            store.write(|tx| channels::set_enabled(tx, record.id, true))?;
            println!("Resumed \"{name}\".");
        }
        ChannelCommand::Remove { name } => {
            let record = by_name(store, &name)?;
            account::remove_channel(store, record.id)?;
            println!("Removed \"{name}\" and deleted its login details from the keyring.");
        }
        ChannelCommand::Rules {
            name,
            markup,
            fixed,
            ending: end,
            min_margin,
            buffer,
            max,
            share,
        } => {
            let record = by_name(store, &name)?;
            let mut form = RulesForm::of(&store.read(|tx| rules::load(tx, record.id))?);
            let mut asked = false;
            for (given, field) in [
                (markup, &mut form.markup_percent),
                (fixed, &mut form.markup_fixed),
                (min_margin, &mut form.min_margin_percent),
                (buffer, &mut form.buffer),
                (max, &mut form.max),
                (share, &mut form.share_percent),
            ] {
                if let Some(value) = given {
                    *field = value;
                    asked = true;
                }
            }
            if let Some(text) = end {
                form.ending = ending(&text)?;
                asked = true;
            }
            if asked {
                let new = form.read().map_err(Error::Input)?;
                let now = SystemClock.now();
                let changed =
                    store.write(|tx| rules::change(tx, record.id, &new, Source::Cli, now))?;
                form = RulesForm::of(&new);
                print_rules(&record.name, &form);
                if changed {
                    println!(
                        "Saved. The new prices and stock go out with the next publish (kanaal publish)."
                    );
                } else {
                    println!("Nothing changed.");
                }
            } else {
                print_rules(&record.name, &form);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_credential_is_hidden_at_the_prompt_and_ids_are_shown() {
        assert!(
            is_secret(account::credential_fields("bol")[1]),
            "client_secret"
        );
        assert!(
            !is_secret(account::credential_fields("bol")[0]),
            "client_id"
        );
        assert!(
            is_secret(account::credential_fields("shopify")[0]),
            "access_token"
        );
    }
}
