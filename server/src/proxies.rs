//! Behind a load balancer every connection comes from the balancer. For the audit trail and
//! sign-in throttling the client is then the address the balancer names in `X-Forwarded-For`,
//! but only when the connection comes from a proxy named in `LIAISON_TRUSTED_PROXIES`: anyone
//! else could write that header themselves.

use axum::{
    extract::{ConnectInfo, Request},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Replaces the connection's address by the forwarded client's when a trusted proxy sent it.
pub async fn forwarded_client(trusted: Arc<[IpNet]>, mut request: Request, next: Next) -> Response {
    if !trusted.is_empty()
        && let Some(ConnectInfo(peer)) = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .copied()
        && is_trusted(&trusted, peer.ip())
        && let Some(client) = forwarded_for(request.headers(), &trusted)
    {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(client, 0)));
    }
    next.run(request).await
}

fn is_trusted(trusted: &[IpNet], address: IpAddr) -> bool {
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    };
    trusted.iter().any(|net| net.contains(&address))
}

/// The client as the chain of proxies reports it: the rightmost hop that is not a trusted proxy
/// itself. Hops to its left were written by the client and prove nothing; a hop that is not an
/// address makes the whole header untrustworthy (`None`: the connection's address stays).
fn forwarded_for(headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().ok())
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.into_iter().rev() {
        let address = hop.parse::<IpAddr>().ok()?;
        if !is_trusted(trusted, address) {
            return Some(address);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn trusted() -> Vec<IpNet> {
        vec![
            "10.0.0.0/24".parse().expect("net"),
            "127.0.0.1/32".parse().expect("net"),
        ]
    }

    fn header(values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let t = trusted();
        assert_eq!(
            forwarded_for(&header(&["198.51.100.7"]), &t),
            Some("198.51.100.7".parse().expect("ip"))
        );
        // A client that writes its own header cannot pick its address: the proxy appended the
        // real one.
        assert_eq!(
            forwarded_for(&header(&["1.2.3.4, 198.51.100.7"]), &t),
            Some("198.51.100.7".parse().expect("ip"))
        );
        // Two proxies of ours in a row.
        assert_eq!(
            forwarded_for(&header(&["198.51.100.7, 10.0.0.9", "127.0.0.1"]), &t),
            Some("198.51.100.7".parse().expect("ip"))
        );
    }

    #[test]
    fn garbage_or_only_proxies_name_no_client() {
        let t = trusted();
        assert_eq!(forwarded_for(&header(&["198.51.100.7, unknown"]), &t), None);
        assert_eq!(forwarded_for(&header(&["10.0.0.3"]), &t), None);
        assert_eq!(forwarded_for(&HeaderMap::new(), &t), None);
        assert!(is_trusted(&t, "::ffff:10.0.0.8".parse().expect("ip")));
        assert!(!is_trusted(&t, "10.0.1.8".parse().expect("ip")));
    }
}
