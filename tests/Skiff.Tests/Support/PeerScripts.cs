namespace Skiff.Tests.Support;

/// <summary>busybox shell scripts the network tests run in their containers: a web server and a client that waits for it.</summary>
public static class PeerScripts
{
    /// <summary>Serves /www/i.txt ("hello from HOSTNAME") on port 80.</summary>
    public const string Serve = "mkdir -p /www && echo hello from $(hostname) > /www/i.txt && exec httpd -f -p 80 -h /www";

    /// <summary>Fetches http://$0/i.txt; httpd may still be starting after run -d returned, so it retries for a while.</summary>
    public const string Fetch = "for i in $(seq 50); do wget -qO- http://$0/i.txt && exit 0; sleep 0.1; done; exit 1";
}
