"""The demo catalogue: specializations with the stacks their candidates use, and
technologies with their names, descriptions, relative pay and related technologies."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Stack:
    """A way to do a role: the technologies every offer names, one pick from ``choose``
    (a framework or a language, by weight; none when the weights leave room) and a few of
    the ``extras`` a candidate also lists."""

    weight: int
    core: tuple[str, ...]
    choose: tuple[tuple[str, int], ...] = ()
    extras: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    role_title: str
    description: str
    pay: float  # relative to the market
    stack: tuple[Stack, ...]
    share: int = 10  # how many of the candidates look for this role, relatively


@dataclass(frozen=True)
class Tech:
    slug: str
    name: str
    description: str
    pay: float = 1.0
    related: tuple[str, ...] = field(default=())


S = Stack
PYTHON_DB = ("postgresql", "redis", "celery", "sqlalchemy", "docker", "aws", "mysql", "kafka")
SPECIALIZATIONS = (
    Spec("back-end", "Back-End", "Back-End Web Developer",
         "Builds the server side of web applications: APIs, data and integrations.", 1.0,
         (S(34, ("python",), (("django", 6), ("flask", 7), ("fastapi", 4)), PYTHON_DB),
          S(20, ("java",), (("spring", 8), ("kotlin", 2)),
            ("postgresql", "kafka", "redis", "docker", "aws", "mysql", "kubernetes")),
          S(15, ("node-js",), (("express", 5), ("typescript", 5)),
            ("mongodb", "postgresql", "redis", "docker", "aws", "graphql")),
          S(9, ("go",), (), ("postgresql", "kafka", "redis", "docker", "kubernetes", "aws")),
          S(12, ("php",), (("laravel", 6), ("", 4)), ("mysql", "redis", "docker", "postgresql")),
          S(12, ("c-sharp",), (("dotnet", 8), ("", 2)), ("azure", "docker", "redis", "postgresql")),
          S(5, ("ruby",), (("rails", 8), ("", 1)), ("postgresql", "redis", "docker", "aws")),
          S(2, ("rust",), (), ("postgresql", "docker", "kafka"))), 30),
    Spec("front-end", "Front-End", "Front-End Developer",
         "Builds what users see and touch in the browser.", 0.93,
         (S(45, ("react",), (("typescript", 6), ("javascript", 4)),
            ("redux", "next-js", "css", "webpack", "graphql")),
          S(18, ("vue",), (("typescript", 4), ("javascript", 6)), ("css", "webpack")),
          S(20, ("angular", "typescript"), (), ("css", "webpack", "javascript")),
          S(10, ("javascript", "css"), (), ("webpack", "typescript"))), 16),
    Spec("full-stack", "Full-Stack", "Full-Stack Developer",
         "Works across the browser and the server.", 0.97,
         (S(45, ("javascript", "node-js"),
            (("react", 6), ("vue", 2), ("angular", 2), ("next-js", 2)),
            ("typescript", "postgresql", "mongodb", "docker", "graphql", "express")),
          S(20, ("python",), (("django", 6), ("flask", 3), ("fastapi", 2)),
            ("react", "javascript", "postgresql", "docker", "vue")),
          S(15, ("php",), (("laravel", 7), ("", 2)), ("javascript", "vue", "mysql", "docker")),
          S(10, ("c-sharp", "dotnet"), (), ("angular", "react", "typescript", "azure")),
          S(5, ("ruby", "rails"), (), ("javascript", "react", "postgresql"))), 14),
    Spec("mobile", "Mobile", "Mobile Developer",
         "Builds apps for iOS and Android.", 0.98,
         (S(30, ("swift",), (), ("firebase",)),
          S(30, ("kotlin",), (("java", 3), ("", 7)), ("firebase",)),
          S(22, ("flutter", "dart"), (), ("firebase",)),
          S(18, ("react-native",), (("typescript", 5), ("javascript", 5)), ("firebase", "react"))),
         8),
    Spec("devops", "DevOps", "DevOps Engineer",
         "Automates building, shipping and running software.", 1.08,
         (S(40, ("docker", "kubernetes", "aws"), (),
            ("terraform", "linux", "python", "ansible", "go")),
          S(15, ("docker", "kubernetes", "gcp"), (), ("terraform", "linux", "python", "go")),
          S(15, ("docker", "azure"), (), ("kubernetes", "terraform", "ansible", "linux")),
          S(20, ("linux", "docker", "ansible"), (), ("kubernetes", "python", "terraform"))), 9),
    Spec("data-science", "Data Science", "Data Scientist",
         "Turns data into models, forecasts and decisions.", 1.06,
         (S(70, ("python", "pandas"), (("scikit-learn", 4), ("pytorch", 4), ("tensorflow", 2)),
            ("sql", "spark", "airflow", "aws")),
          S(20, ("python", "sql"), (("spark", 3), ("airflow", 3)), ("pandas", "aws", "gcp")),
          S(10, ("python", "pytorch"), (("fastapi", 5), ("flask", 4)), ("docker", "aws"))), 8),
    Spec("qa", "QA", "QA Engineer",
         "Tests software by hand and with automated suites.", 0.8,
         (S(40, ("selenium",), (("python", 4), ("java", 5)), ("postman", "sql")),
          S(20, ("cypress", "javascript"), (), ("postman", "typescript")),
          S(20, ("playwright",), (("typescript", 5), ("python", 3)), ("postman",)),
          S(20, ("postman", "sql"), (), ())), 9),
    Spec("embedded", "Embedded", "Embedded Software Engineer",
         "Writes software for devices, firmware and real-time systems.", 0.96,
         (S(55, ("c",), (("cpp", 5), ("", 5)), ("linux", "python")),
          S(35, ("cpp",), (), ("linux", "python")),
          S(10, ("rust",), (), ("linux", "c"))), 3),
    Spec("game-dev", "Game Development", "Game Developer",
         "Builds games and interactive 3D experiences.", 0.9,
         (S(60, ("unity", "c-sharp"), (), ()),
          S(40, ("unreal-engine", "cpp"), (), ())), 3),
)  # fmt: skip

TECHNOLOGIES = (
    Tech("python", "Python", "A general-purpose language loved for readability.", 1.0,
         ("django", "flask", "fastapi")),
    Tech("flask", "Flask", "A lightweight Python web framework.", 1.0,
         ("django", "fastapi", "node-js", "python")),
    Tech("django", "Django", "A batteries-included Python web framework.", 1.0,
         ("flask", "fastapi", "rails", "laravel")),
    Tech("fastapi", "FastAPI", "A modern, fast Python framework for APIs.", 1.03,
         ("flask", "django", "node-js")),
    Tech("sqlalchemy", "SQLAlchemy", "The Python SQL toolkit and ORM.", 1.0,
         ("django", "flask")),
    Tech("celery", "Celery", "Distributed task queues for Python.", 1.01, ("redis", "kafka")),
    Tech("java", "Java", "A statically typed language of the JVM.", 1.02, ("kotlin", "spring")),
    Tech("spring", "Spring", "The leading Java application framework.", 1.03,
         ("java", "dotnet", "django")),
    Tech("kotlin", "Kotlin", "A concise JVM language, Android's first choice.", 1.02,
         ("java", "swift")),
    Tech("go", "Go", "A simple, fast language for services.", 1.08, ("rust", "java")),
    Tech("rust", "Rust", "A memory-safe systems language.", 1.1, ("go", "cpp")),
    Tech("node-js", "Node.js", "JavaScript on the server.", 0.99, ("express", "flask")),
    Tech("express", "Express.js", "A minimal web framework for Node.js.", 0.98,
         ("node-js", "flask", "fastapi")),
    Tech("php", "PHP", "The language behind much of the web.", 0.9, ("laravel",)),
    Tech("laravel", "Laravel", "A PHP framework with expressive syntax.", 0.93,
         ("php", "django", "rails")),
    Tech("ruby", "Ruby", "A dynamic language focused on programmer happiness.", 1.04, ("rails",)),
    Tech("rails", "Ruby on Rails", "A convention-over-configuration web framework.", 1.04,
         ("ruby", "django", "laravel")),
    Tech("c-sharp", "C#", "Microsoft's general-purpose language.", 0.99, ("dotnet", "java")),
    Tech("dotnet", ".NET", "Microsoft's application platform.", 1.0, ("c-sharp", "spring")),
    Tech("javascript", "JavaScript", "The language of the browser.", 0.96,
         ("typescript", "node-js")),
    Tech("typescript", "TypeScript", "JavaScript with static types.", 1.02,
         ("javascript", "react", "angular")),
    Tech("react", "React", "A library for building user interfaces.", 1.01,
         ("vue", "angular", "next-js")),
    Tech("vue", "Vue.js", "A progressive front-end framework.", 0.96, ("react", "angular")),
    Tech("angular", "Angular", "A full front-end framework by Google.", 0.99, ("react", "vue")),
    Tech("next-js", "Next.js", "The React framework for production.", 1.04, ("react",)),
    Tech("redux", "Redux", "Predictable state for JavaScript apps.", 0.99, ("react",)),
    Tech("css", "CSS", "Styles for the web.", 0.9, ("javascript",)),
    Tech("webpack", "webpack", "A bundler for JavaScript applications.", 0.97, ("javascript",)),
    Tech("graphql", "GraphQL", "A query language for APIs.", 1.04, ("react", "node-js")),
    Tech("postgresql", "PostgreSQL", "The advanced open-source relational database.", 1.01,
         ("mysql", "mongodb", "redis")),
    Tech("mysql", "MySQL", "A popular open-source relational database.", 0.96,
         ("postgresql", "mongodb")),
    Tech("mongodb", "MongoDB", "A document database.", 0.98, ("postgresql", "redis")),
    Tech("redis", "Redis", "An in-memory data store and cache.", 1.02, ("postgresql", "kafka")),
    Tech("kafka", "Kafka", "A distributed event streaming platform.", 1.08, ("redis",)),
    Tech("docker", "Docker", "Containers for building and shipping software.", 1.0,
         ("kubernetes",)),
    Tech("kubernetes", "Kubernetes", "Container orchestration at scale.", 1.06,
         ("docker", "terraform")),
    Tech("aws", "AWS", "Amazon's cloud platform.", 1.04, ("gcp", "azure")),
    Tech("gcp", "Google Cloud", "Google's cloud platform.", 1.03, ("aws", "azure")),
    Tech("azure", "Azure", "Microsoft's cloud platform.", 1.0, ("aws", "gcp")),
    Tech("terraform", "Terraform", "Infrastructure as code.", 1.06, ("ansible", "kubernetes")),
    Tech("ansible", "Ansible", "Configuration management and automation.", 0.98, ("terraform",)),
    Tech("linux", "Linux", "The open-source operating system.", 0.97, ("docker",)),
    Tech("swift", "Swift", "Apple's language for iOS and macOS.", 1.04, ("kotlin", "flutter")),
    Tech("flutter", "Flutter", "Google's cross-platform UI toolkit.", 0.97,
         ("react-native", "swift")),
    Tech("dart", "Dart", "The language behind Flutter.", 0.97, ("flutter",)),
    Tech("react-native", "React Native", "Native apps with React.", 0.99, ("flutter", "react")),
    Tech("firebase", "Firebase", "Google's app development platform.", 0.96, ("flutter",)),
    Tech("pandas", "pandas", "Data analysis for Python.", 1.0, ("python", "spark")),
    Tech("sql", "SQL", "The language of relational data.", 0.97, ("postgresql", "pandas")),
    Tech("pytorch", "PyTorch", "A deep learning framework.", 1.08, ("tensorflow",)),
    Tech("tensorflow", "TensorFlow", "Google's machine learning platform.", 1.05, ("pytorch",)),
    Tech("scikit-learn", "scikit-learn", "Machine learning in Python.", 1.01, ("pandas",)),
    Tech("spark", "Apache Spark", "Large-scale data processing.", 1.07, ("airflow", "pandas")),
    Tech("airflow", "Apache Airflow", "Workflow orchestration.", 1.04, ("spark",)),
    Tech("selenium", "Selenium", "Browser automation for testing.", 0.97,
         ("playwright", "cypress")),
    Tech("cypress", "Cypress", "End-to-end testing for the web.", 0.99,
         ("playwright", "selenium")),
    Tech("playwright", "Playwright", "Reliable end-to-end browser testing.", 1.02,
         ("cypress", "selenium")),
    Tech("postman", "Postman", "An API platform for testing.", 0.9, ("selenium",)),
    Tech("c", "C", "The systems programming classic.", 0.98, ("cpp", "rust")),
    Tech("cpp", "C++", "A high-performance systems language.", 1.03, ("c", "rust")),
    Tech("unity", "Unity", "A real-time 3D engine for games.", 0.97, ("unreal-engine",)),
    Tech("unreal-engine", "Unreal Engine", "Epic's high-end game engine.", 1.02, ("unity",)),
)  # fmt: skip
