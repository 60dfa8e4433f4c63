using CloudGateway.BenchHost;

// Commands (bench/run.sh drives them; see bench/README.md):
//   (none)        the shared driver's contract: LISTEN_PORT, BACKEND_PORT, TLS_PFX in the environment; a fresh
//                 database in a temporary folder with one gateway, one tenant, one resource; serves until SIGTERM.
//   init DB PFX BACKEND_PORT NAME=PORT [NAME=PORT...]   creates a fresh database with those standalone gateways.
//   serve DB [GATEWAY]                                   serves the database's gateway(s) until SIGTERM.
//   failover DB PRIMARY_PID                              one failover measurement (see FailoverProbe).
//   estate LOCATION TENANTS POOLS PFX BACKEND_PORT        the scale estate in an empty store (see EstateCommand).
//   relay LOCATION BACKEND_PORT                          a relay on a scale estate, measured (see RelayScaleProbe).
//   fleet CONNECTION_STRING RELAYS RATE SECONDS          relay processes on one PostgreSQL under changes (see FleetCommand).
//   follow LOCATION GATEWAY                              one relay process of the fleet (see FleetFollower).
//   tunnel GATEWAY_PORT LOCAL_PORT THUMBPRINT            the tenant side: a tunnel to the bench resource (bench/clients.sh).
//   resumable PHASE GATEWAY_PORT BACKEND_PORT THUMBPRINT RELAY_PID RELAY_LOG   plain against resumable sessions (bench/resumable.sh, see ResumableProbe).
return args.Length == 0 ? await Commands.ServeFromEnvironmentAsync()
    : args[0] switch
    {
        "init" when args.Length >= 5 => Commands.Init(args[1], args[2], int.Parse(args[3]), args[4..]),
        "serve" when args.Length is 2 or 3 => await Commands.ServeAsync(args[1], args.Length == 3 ? args[2] : null),
        "failover" when args.Length == 3 => await FailoverProbe.RunAsync(args[1], int.Parse(args[2])),
        "estate" when args.Length == 6 => EstateCommand.Run(args[1], int.Parse(args[2]), int.Parse(args[3]), args[4], int.Parse(args[5])),
        "relay" when args.Length == 3 => await RelayScaleProbe.RunAsync(args[1], int.Parse(args[2])),
        "fleet" when args.Length == 5 => await FleetCommand.RunAsync(args[1], int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4])),
        "follow" when args.Length == 3 => await FleetFollower.RunAsync(args[1], args[2]),
        "tunnel" when args.Length == 4 => await TunnelCommand.RunAsync(int.Parse(args[1]), int.Parse(args[2]), args[3]),
        "resumable" when args.Length == 7 => await ResumableProbe.RunAsync(args[1], int.Parse(args[2]), int.Parse(args[3]), args[4], int.Parse(args[5]), args[6]),
        _ => Commands.Usage(),
    };
