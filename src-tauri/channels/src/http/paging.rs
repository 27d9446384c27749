//! Reading every page of a paged list. Platforms page differently (bol.com: `page=1,2,...` and
//! an empty page at the end; Shopify: cursors), so the caller fetches one page and says whether
//! more follow; this loop adds the bound so a misbehaving platform cannot keep it going forever.

use crate::Failure;
use std::future::Future;

/// One fetched page: its items and the position of the next page, if any.
#[derive(Debug)]
pub struct Fetched<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

/// Fetches pages from `first` until a page has no `next` or `max_pages` were read.
pub async fn collect_pages<T, C, F, Fut>(
    first: C,
    max_pages: u32,
    mut fetch: F,
) -> Result<Vec<T>, Failure>
where
    F: FnMut(C) -> Fut,
    Fut: Future<Output = Result<Fetched<T, C>, Failure>>,
{
    let mut out = Vec::new();
    let mut at = Some(first);
    let mut pages = 0;
    while let Some(pos) = at.take() {
        if pages == max_pages {
            break;
        }
        let page = fetch(pos).await?;
        pages += 1;
        out.extend(page.items);
        at = page.next;
    }
    Ok(out)
}

/// For page-numbered lists that end with an empty page (bol.com): the next page number, or
/// `None` when this page was empty.
pub fn next_page_number(current: u32, items_on_page: usize) -> Option<u32> {
    (items_on_page > 0).then_some(current + 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_are_read_until_the_empty_page_and_never_past_the_bound() {
        let data: Vec<u32> = (0..120).collect();
        let fetch = |page: u32| {
            let data = data.clone();
            async move {
                let items: Vec<u32> = data
                    .iter()
                    .copied()
                    .skip(((page - 1) * 50) as usize)
                    .take(50)
                    .collect();
                let next = next_page_number(page, items.len());
                Ok(Fetched { items, next })
            }
        };
        assert_eq!(
            collect_pages(1, 10, fetch).await.unwrap(),
            data,
            "all 120 items over 3 pages"
        );
        let bounded = collect_pages(1, 2, fetch).await.unwrap();
        assert_eq!(bounded.len(), 100, "stops after max_pages");
    }
}
