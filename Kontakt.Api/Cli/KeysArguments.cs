using Kontakt.Core.Security;

namespace Kontakt.Api.Cli;

/// <summary>
/// <c>keys create --role &lt;role&gt; --name &lt;label&gt;</c>, <c>keys list</c>, <c>keys revoke &lt;name&gt;</c>, parsed.
/// Arguments of the form <c>--Section:Key=value</c> are configuration, as for the service.
/// </summary>
internal sealed record KeysArguments(string Action, string? Role, string? Name, string[] Configuration)
{
    public const string Create = "create";
    public const string List = "list";
    public const string Revoke = "revoke";

    public const string Usage = """
        Usage:
          keys create --role <ingest|analyst|auditor|admin> --name <label>
              Creates a key and prints it alone on the last line of standard output. It is shown once.
          keys list
              Every key: name, role, created, last used, revoked. Never key material.
          keys revoke <name>
              Revokes the key; every replica refuses it within 5 seconds.
        The database is the service's: ConnectionStrings:Kontakt, or the embedded cluster.
        Configuration may also be given as --Section:Key=value, as for the service.
        """;

    /// <summary>The parsed command, or null and the reason.</summary>
    public static (KeysArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        if (args.Count < 2 || args[0] != "keys")
        {
            return (null, "A keys command needs an action: create, list or revoke.");
        }
        string? role = null;
        string? name = null;
        var positional = new List<string>();
        var configuration = new List<string>();
        for (var i = 2; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--role" or "--name")
            {
                if (i + 1 >= args.Count)
                {
                    return (null, $"{arg} needs a value.");
                }
                if (arg == "--role")
                {
                    role = args[++i];
                }
                else
                {
                    name = args[++i];
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
            {
                configuration.Add(arg);
            }
            else if (arg.StartsWith('-'))
            {
                return (null, $"Unknown option {arg}.");
            }
            else
            {
                positional.Add(arg);
            }
        }
        return args[1] switch
        {
            Create when positional.Count > 0 => (null, "keys create takes no positional arguments."),
            Create when ApiKeyStore.RoleProblem(role) is { } problem => (null, "--role " + problem + "."),
            Create when ApiKeyStore.NameProblem(name) is { } problem => (null, "--name " + problem + "."),
            Create => (new KeysArguments(Create, role, name, [.. configuration]), null),
            List when positional.Count > 0 || role is not null || name is not null => (null, "keys list takes no arguments."),
            List => (new KeysArguments(List, null, null, [.. configuration]), null),
            Revoke when positional.Count != 1 || role is not null || name is not null => (null, "keys revoke takes exactly one key name."),
            Revoke => (new KeysArguments(Revoke, null, positional[0], [.. configuration]), null),
            _ => (null, $"Unknown keys action '{args[1]}'."),
        };
    }
}
