/// The `UpsertBucket` GraphQL mutation that creates or updates a run (the same selection as wandb's own).
enum UpsertBucketMutation {
    static let query = """
        mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String, $displayName: String,
                              $config: JSONString, $summaryMetrics: JSONString, $state: String) {
          upsertBucket(input: {id: $id, name: $name, modelName: $project, entityName: $entity, displayName: $displayName,
                               config: $config, summaryMetrics: $summaryMetrics, state: $state}) {
            bucket { id name displayName project { id name entity { id name } } historyLineCount }
            inserted
          }
        }
        """

    /// The request body: operation name, query and variables (`entity` is sent as null when unknown).
    struct Request: Encodable {
        struct Variables: Encodable {
            let name: String
            let project: String
            let entity: String?
            let displayName: String
            let config: String

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(name, forKey: .name)
                try container.encode(project, forKey: .project)
                try container.encode(entity, forKey: .entity)
                try container.encode(displayName, forKey: .displayName)
                try container.encode(config, forKey: .config)
            }

            enum CodingKeys: String, CodingKey { case name, project, entity, displayName, config }
        }

        let operationName = "UpsertBucket"
        let query = UpsertBucketMutation.query
        let variables: Variables
    }

    /// The parts of the reply the runner uses.
    struct Reply: Decodable {
        struct Payload: Decodable { let upsertBucket: UpsertBucket? }
        struct UpsertBucket: Decodable { let bucket: Bucket? }
        struct Bucket: Decodable {
            let name: String?
            let project: Project?
            let historyLineCount: Int?
        }
        struct Project: Decodable {
            let name: String?
            let entity: Entity?
        }
        struct Entity: Decodable { let name: String? }
        struct GraphQLError: Decodable { let message: String? }

        let data: Payload?
        let errors: [GraphQLError]?
    }
}
